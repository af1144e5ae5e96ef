/**
 * Bounded JSON: every JSON document read from a file a person or another program could have
 * written (session.json, presets, an imported session or preset file) is checked for size and
 * nesting by one flat scan of its text before it is parsed, so nothing after it (a schema, a
 * `JSON.stringify`, the wire encoder) can overflow the stack on it. Pure: no DOM, no node:*.
 */

/**
 * Deepest nesting of arrays and objects any document read from disk may have. The wire
 * encoder (`wire-codec.ts`) walks 64 levels; a document sent to the page sits a few levels
 * down in its message, so documents stay well under that.
 */
export const MAX_JSON_DEPTH = 40;

/**
 * Why `text` cannot be parsed safely, or null when it can: its size (UTF-16 code units) is
 * within `maxChars` and no array or object nests deeper than `maxDepth`. Brackets inside
 * strings do not count. Runs in time linear in the text and constant stack.
 */
export function jsonShapeProblem(text: string, maxChars: number, maxDepth = MAX_JSON_DEPTH): string | null {
  if (text.length > maxChars) return `it is larger than ${maxChars} characters`;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: the next character is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > maxDepth) return `it nests more than ${maxDepth} levels deep`;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return null;
}

/**
 * Deepest nesting of a value already in memory (arrays and objects), walked without
 * recursion and stopping as soon as it passes `limit`.
 * @returns the depth, or `limit + 1` when it is deeper than `limit`
 */
export function valueDepth(value: unknown, limit = MAX_JSON_DEPTH): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object' || ArrayBuffer.isView(v)) continue;
    const depth = d + 1;
    if (depth > limit) return limit + 1;
    if (depth > deepest) deepest = depth;
    for (const x of Array.isArray(v) ? v : Object.values(v)) stack.push([x, depth]);
  }
  return deepest;
}
