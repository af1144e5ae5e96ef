/**
 * Presets in words: a preset file that cannot be imported, said in one sentence instead of
 * schema text, and what differs between two takes' settings, for a take's tooltip.
 */
import type { Preset } from '../../common/preset';
import { LOSS_TERM_TABLE } from '../../common/loss-terms';
import { FIELD_LABELS } from './objective-words';

/** The label of a preset path: "analysis.nFft" → "FFT size", "network.layers.0.filters" → "Layer 1 filters". */
export function fieldLabel(path: string, p?: Preset): string {
  const parts = path.split('.');
  if (parts[0] === 'weights' && parts[1]) {
    const t = LOSS_TERM_TABLE.find((x) => x.name === parts[1]);
    return t ? `${t.symbol} ${t.label.toLowerCase()} weight` : `${parts[1]} weight`;
  }
  if (parts[0] === 'network' && parts[1] === 'layers' && parts[2] !== undefined && /^\d+$/.test(parts[2])) {
    const i = Number(parts[2]);
    const kind = p?.network.layers[i]?.kind;
    const field = parts[3] ? (kind && FIELD_LABELS[`layer.${kind}.${parts[3]}`]) || parts[3] : 'kind';
    return `Layer ${i + 1} ${field.toLowerCase()}`;
  }
  for (let n = parts.length; n > 0; n--) {
    const label = FIELD_LABELS[parts.slice(0, n).join('.')];
    if (label) return label;
  }
  // Not a field we name: its last part in words ("peakDb" → "peak db").
  return (parts[parts.length - 1] || 'the preset').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

/** One schema message in words: "Too big: expected number to be <=8192" → "must be at most 8192". */
function messageWords(m: string): string {
  const rules: [RegExp, (x: RegExpExecArray) => string][] = [
    [/^Too big: expected \w+ to (?:be|have) <=?\s*(\S+)/, (x) => `must be at most ${x[1]}`],
    [/^Too small: expected \w+ to (?:be|have) >=?\s*(\S+)/, (x) => `must be at least ${x[1]}`],
    [/^Invalid input: expected int\b/, () => 'must be a whole number'],
    [/^Invalid input: expected (\w+), received (\w+)/, (x) => `must be a ${x[1]}, not a ${x[2]}`],
    [/^Invalid option: expected one of (.+)/, (x) => `must be one of ${x[1].replace(/\|/g, ', ')}`],
    [/^Unrecognized keys?: (.+)/, (x) => `is not a setting Gramophone knows (${x[1]})`],
  ];
  for (const [re, say] of rules) {
    const x = re.exec(m);
    if (x) return say(x);
  }
  return m.replace(/\.$/, '');
}

/** A preset problem ("analysis.nFft: must be a power of two; hop: …") as words: "its FFT size must be a power of two (and 1 more problem)". */
export function problemWords(reason: string): string {
  const issues = reason.split('; ').filter(Boolean);
  const first = issues[0] ?? reason;
  const colon = first.indexOf(': ');
  const said = colon > 0 && !/\s/.test(first.slice(0, colon)) ? `its ${fieldLabel(first.slice(0, colon)).toLowerCase()} ${messageWords(first.slice(colon + 2))}` : messageWords(first);
  const more = issues.length - 1;
  return more > 0 ? `${said} (and ${more} more problem${more > 1 ? 's' : ''})` : said;
}

/** What a preset import rejected, in one sentence (empty when nothing was rejected). */
export function importRejectedSentence(fileName: string, rejected: { name: string; reason: string }[]): string {
  if (!rejected.length) return '';
  const [first] = rejected;
  if (rejected.length === 1) return `"${first.name}" in ${fileName} is not a preset Gramophone can use: ${problemWords(first.reason)}.`;
  return `${rejected.length} presets in ${fileName} could not be used; the first, "${first.name}": ${problemWords(first.reason)}.`;
}

/** Every leaf of a JSON value, by dotted path. */
function leaves(v: unknown, at = '', out = new Map<string, unknown>()): Map<string, unknown> {
  if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) leaves(x, at ? `${at}.${k}` : k, out);
  } else out.set(at, v);
  return out;
}

const show = (v: unknown) => (v === undefined ? '—' : typeof v === 'number' ? String(Number(v.toPrecision(4))) : String(v));

/**
 * What differs from `other` to `p`, one setting a line ("β style weight 1 → 2.5"), names
 * and sources left out. Empty when the settings are the same.
 */
export function presetDiff(p: Preset, other: Preset): string[] {
  const a = leaves({ ...other, name: undefined, source: undefined });
  const b = leaves({ ...p, name: undefined, source: undefined });
  const paths = [...new Set([...a.keys(), ...b.keys()])];
  return paths.filter((k) => a.get(k) !== b.get(k)).map((k) => `${fieldLabel(k, p)}: ${show(a.get(k))} → ${show(b.get(k))}`);
}
