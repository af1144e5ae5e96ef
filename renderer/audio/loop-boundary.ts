/** Where a looping transport's next boundary lies: the live loop swaps a new version in there. */
import type { Region } from '../../common/audio';

/**
 * Seconds from `position` until the looping transport next passes the region's start (where
 * a new live version swaps in). At the start itself the next pass is a whole loop away.
 */
export function secondsToLoopStart(position: number, loop: Region): number {
  const length = loop.end - loop.start;
  const into = (((position - loop.start) % length) + length) % length;
  return length - into;
}
