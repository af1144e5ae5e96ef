/** Run a callback on every animation frame while mounted (no React state involved). */
import { useEffect, useRef } from 'react';

export function useAnimationFrame(cb: (now: number) => void): void {
  const ref = useRef(cb);
  ref.current = cb;
  useEffect(() => {
    let id = 0;
    const tick = (now: number) => {
      ref.current(now);
      id = requestAnimationFrame(tick);
    };
    id = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(id);
  }, []);
}
