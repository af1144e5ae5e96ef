/**
 * Size a canvas to `width` × `height` CSS pixels at the device pixel ratio and clear it to
 * `background`. Returns the context and the size in device pixels.
 */
export function prepareCanvas(cv: HTMLCanvasElement, width: number, height: number, background: string) {
  const dpr = window.devicePixelRatio || 1;
  const w = Math.max(1, Math.round(width * dpr));
  const h = Math.round(height * dpr);
  if (cv.width !== w) cv.width = w;
  if (cv.height !== h) cv.height = h;
  const g = cv.getContext('2d')!;
  g.fillStyle = background;
  g.fillRect(0, 0, w, h);
  return { g, w, h, dpr };
}
