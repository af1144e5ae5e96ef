/** The onset F-measure against reference onsets (the detector is the engine's, engine/analysis/onsets.ts). */

/**
 * How many of the sorted `reference` values can be paired one to one with sorted `estimated`
 * values within ±`tolerance`: a greedy pass in order, which is optimal for points on a line.
 * Both lists ascending.
 */
export function matchedWithin(estimated: readonly number[], reference: readonly number[], tolerance: number): number {
  let matched = 0;
  let j = 0;
  for (const r of reference) {
    while (j < estimated.length && estimated[j] < r - tolerance) j++;
    if (j < estimated.length && estimated[j] <= r + tolerance) {
      matched++;
      j++;
    }
  }
  return matched;
}

/**
 * Onset F-measure: each reference onset is matched to at most one detected onset within
 * ±`window` seconds and vice versa, as many as possible (a greedy pass in time order is
 * optimal for points on a line); F = 2·matched / (references + detections), precision =
 * matched / detections, recall = matched / references (1 when the count is 0).
 */
export function onsetFMeasure(detected: readonly number[], reference: readonly number[], window = 0.05): { f: number; precision: number; recall: number; matched: number } {
  const est = [...detected].sort((a, b) => a - b);
  const ref = [...reference].sort((a, b) => a - b);
  const matched = matchedWithin(est, ref, window);
  const total = ref.length + est.length;
  return {
    f: total ? (2 * matched) / total : 1,
    precision: est.length ? matched / est.length : 1,
    recall: ref.length ? matched / ref.length : 1,
    matched,
  };
}
