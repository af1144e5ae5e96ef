/**
 * What each built-in preset costs, measured: the CPU seconds (all threads of the render's
 * process) of `npm run bench -- PACE [--preset NAME] [--seconds S]` rendering the demo pair
 * (its content tiled to S seconds) on the 2-core development machine, gathered from
 * bench/results/pace/after-*.jsonl into ./pace-calibration.json by bench/pace-calibration.ts. Wall seconds are kept beside them but were taken while
 * other work loaded the machine (3–10× the CPU seconds), so the model is fitted to CPU time;
 * the estimate turns it into this machine's seconds with a factor learnt from its renders.
 *
 * Each preset's model is a line, seconds of CPU = fixed + perSecond · content seconds, the
 * render's time being linear in length (segments of at most a minute, each optimised alone):
 * through 10 s and 60 s for the presets in OWN_LINE, through the one 10 s measurement with
 * the fixed part of "Quick preview"'s line for the others. The measurements not used for a
 * line (Quick preview at 3 minutes, others at 1 minute) check it (render-estimate tests).
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

/** The fixed part assumed for a preset measured at one length only: "Quick preview"'s. */
const FIXED_CPU = through(PACE_MEASUREMENTS['Quick preview'][0], PACE_MEASUREMENTS['Quick preview'][1]).fixed;

/**
 * Presets whose line goes through their own 10 s and 60 s measurements: the default's fixed
 * part is its own (note transcription), and "IITB mel tanh" grows faster than its length (its
 * 1-minute render took 9× its 10 s one: the 10 s run alone would have put it 40 % low).
 * Every other preset's line goes through its 10 s measurement alone, so its longer
 * measurements check the line.
 */
const OWN_LINE = new Set(['Timbre transfer', 'Quick preview', 'IITB mel tanh']);

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
  if (OWN_LINE.has(name) && m.length >= 2) {
    const l = through(m[0], m[1]);
    const line = l.fixed + l.perSecond * s;
    return s < m[0].seconds ? Math.max(proportional, line) : line;
  }
  const fixed = Math.min(FIXED_CPU, m[0].cpu / 2);
  return fixed + ((m[0].cpu - fixed) / m[0].seconds) * s;
}
