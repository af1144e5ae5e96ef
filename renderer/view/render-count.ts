/**
 * How many times each main component has rendered, by name. One integer increment per
 * render, kept so tests (through `renderer/test-hooks.ts`) can check that a playing
 * transport does not re-render React.
 */
export const renderCounts: Record<string, number> = {};

/** Call at the top of a component's body. */
export function countRender(name: string): void {
  renderCounts[name] = (renderCounts[name] ?? 0) + 1;
}
