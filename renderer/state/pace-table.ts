/**
 * What each built-in preset costs, measured: the CPU seconds (all threads of the render's
 * process) of `npm run bench -- PACE [--preset NAME] [--seconds S]` rendering the demo pair
 * (its content tiled to S seconds) on the 2-core development machine, gathered from
 * bench/results/pace/ (after-*.jsonl, quiet-*.jsonl) into ./pace-calibration.json by
 * bench/pace-calibration.ts. Wall seconds are kept beside them, but several runs were taken
 * while other work loaded the machine (wall up to 10× the CPU seconds), so the model is fitted
 * to CPU time; the estimate turns it into this machine's seconds with a factor learnt from its
 * renders.
 *
 * Each preset's model is piecewise linear in the content's length, seconds of CPU = fixed +
 * perSecond · content seconds between neighbouring measurements (10 s, 1 minute, 3 minutes)
 * and along the last two beyond; a preset measured at 10 s alone gets a line with the fixed
 * part of "Quick preview"'s first segment.
 */

import calibration from './pace-calibration.json' with { type: 'json' };

/** One bench measurement: content seconds, CPU seconds and (loaded-machine) wall seconds. */
interface PaceMeasurement {
  seconds: number;
  cpu: number;
  wall: number;
}

/** Measurements per built-in preset name, shortest first (./pace-calibration.json, made by bench/pace-calibration.ts). */
const PACE_MEASUREMENTS: Readonly<Record<string, readonly PaceMeasurement[]>> = calibration.measurements;

/** A CPU-time line: seconds = fixed + perSecond · content seconds. */
interface PaceModel {
  fixed: number;
  perSecond: number;
}

/** The line through two measurements. */
const through = (a: PaceMeasurement, b: PaceMeasurement): PaceModel => {
  const perSecond = (b.cpu - a.cpu) / (b.seconds - a.seconds);
  return { fixed: a.cpu - perSecond * a.seconds, perSecond };
};

/** The fixed part assumed for a preset measured at one length only: that of "Quick preview"'s first segment. */
const FIXED_CPU = through(PACE_MEASUREMENTS['Quick preview'][0], PACE_MEASUREMENTS['Quick preview'][1]).fixed;

/**
 * The CPU seconds the bench's measurements put on `seconds` of content with the built-in
 * named `name`: its line, and below its shortest measurement never less than the proportion
 * of it (a line steeper than proportional would fall to zero or below on short clips).
 * @returns undefined when the bench has not measured the preset
 */
export function paceCpuSeconds(name: string, seconds: number): number | undefined {
  const m = PACE_MEASUREMENTS[name];
  if (!m?.length) return undefined;
  const s = Math.max(0, seconds);
  const proportional = (m[0].cpu * s) / m[0].seconds;
  // Measured at two lengths or more: straight between neighbouring measurements, and beyond
  // the longest along the last two. Most of the papers' presets grow faster than their
  // length from 10 s to 1 minute (8–11× for 6× the audio: the Gram of 4096 filters costs
  // filters × frames² until the frames outnumber the filters, about 48 s of content, and
  // filters² × frames after; texture statistics need more iterations), so a line through the
  // 10 s run alone would put them 30–45 % low; from 1 to 3 minutes several grow slower than
  // their length (a line through 10 s and 1 minute put IITB tanh's 3 minutes 53 % high).
  if (m.length >= 2) {
    let i = 0;
    while (i + 2 < m.length && s > m[i + 1].seconds) i++;
    const l = through(m[i], m[i + 1]);
    const line = l.fixed + l.perSecond * s;
    return s < m[0].seconds ? Math.max(proportional, line) : line;
  }
  const fixed = Math.min(FIXED_CPU, m[0].cpu / 2);
  return fixed + ((m[0].cpu - fixed) / m[0].seconds) * s;
}
