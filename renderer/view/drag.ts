/**
 * Follow the pointer from a mouse-down until the button is released, wherever it goes on
 * the page: for drags on the ruler, lanes, lane edges and the region strip.
 */
export function followPointer(onMove: (e: MouseEvent) => void, onUp?: (e: MouseEvent) => void): void {
  const up = (e: MouseEvent) => {
    window.removeEventListener('mousemove', onMove);
    window.removeEventListener('mouseup', up);
    onUp?.(e);
  };
  window.addEventListener('mousemove', onMove);
  window.addEventListener('mouseup', up);
}
