/**
 * The plateau stop: an optimiser run ends when its loss has fallen by less than a fraction
 * of itself over the last few iterations. Most of a preset's iteration budget buys the last
 * percent of its loss; this stop spends it only while the loss still moves.
 */

/** When the loss counts as no longer moving. */
export interface PlateauStop {
  /** Iterations looked back over, ≥ 1. */
  window: number;
  /** Relative fall of the loss over `window` iterations (0.002 = 0.2 %) at or below which the run stops. */
  tolerance: number;
}

/**
 * A tracker fed the loss after each iteration.
 * @returns `flat(loss)`: true once the loss is at most `tolerance` below what it was `window` iterations ago
 */
export function plateauTracker(stop: PlateauStop | undefined): { flat: (loss: number) => boolean } {
  if (!stop) return { flat: () => false };
  if (!Number.isInteger(stop.window) || stop.window < 1) throw new RangeError(`the plateau window must be a whole number of iterations ≥ 1, not ${stop.window}`);
  if (!(stop.tolerance >= 0 && stop.tolerance < 1)) throw new RangeError(`the plateau tolerance must be a fraction from 0 to 1, not ${stop.tolerance}`);
  const past: number[] = [];
  return {
    flat(loss: number): boolean {
      past.push(loss);
      if (past.length <= stop.window) return false;
      const before = past.shift()!;
      return before - loss <= stop.tolerance * Math.abs(before);
    },
  };
}
