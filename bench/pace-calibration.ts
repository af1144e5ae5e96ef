/**
 * `npx tsx bench/pace-calibration.ts`: write renderer/state/pace-calibration.json, the render
 * estimate's table of measured costs, from the PACE bench's results
 * (bench/results/pace/after-*.jsonl and, winning for a length they share, quiet-*.jsonl: made by `nice -n 10 npm run bench -- PACE [--preset NAME]
 * [--seconds S]`): per built-in preset, each length measured with its CPU and wall seconds.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = path.join(root, 'bench/results/pace');
const measurements: Record<string, { seconds: number; cpu: number; wall: number }[]> = {};
// Quiet-machine runs (quiet-*.jsonl) are read after the others, so their figure for a length wins.
for (const file of readdirSync(dir)
  .filter((f) => /^(after|quiet)-.*\.jsonl$/.test(f))
  .sort((a, b) => Number(a.startsWith('quiet-')) - Number(b.startsWith('quiet-')) || a.localeCompare(b))) {
  for (const line of readFileSync(path.join(dir, file), 'utf8').split('\n')) {
    if (!line.startsWith('{')) continue;
    const r = JSON.parse(line) as { preset: string; content_s: number; cpu_s: number; wall_s: number };
    const rows = (measurements[r.preset] ??= []);
    // A length measured again replaces the earlier figure.
    const at = rows.findIndex((m) => m.seconds === r.content_s);
    const m = { seconds: r.content_s, cpu: r.cpu_s, wall: r.wall_s };
    if (at >= 0) rows[at] = m;
    else rows.push(m);
  }
}
for (const rows of Object.values(measurements)) rows.sort((a, b) => a.seconds - b.seconds);
const out = {
  source: 'nice -n 10 npm run bench -- PACE [--preset NAME] [--seconds 60|180] on the 2-core development machine, then npx tsx bench/pace-calibration.ts',
  note: 'cpu: CPU seconds of the render process (all threads); wall: wall seconds of the same run, several taken while other work loaded the machine (load average 6-13), kept for reference only',
  measurements,
};
writeFileSync(path.join(root, 'renderer/state/pace-calibration.json'), JSON.stringify(out, null, 2) + '\n');
process.stdout.write(`${Object.keys(measurements).length} presets\n`);
