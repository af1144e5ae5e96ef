/**
 * How many times each main component has rendered, by name. One integer increment per
 * render, kept so tests (and a curious developer at the console, via
 * `__gramophone.renders`) can check that a playing transport does not re-render React.
 */
export const renderCounts: Record<string, number> = {};

/** Call at the top of a component's body. */
export function countRender(name: string): void {
  renderCounts[name] = (renderCounts[name] ?? 0) + 1;
}

/** The sum over every counted component. */
export function totalRenders(): number {
  let n = 0;
  for (const k in renderCounts) n += renderCounts[k];
  return n;
}
