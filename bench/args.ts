/** The bench's command line: `bench [W1 W2 W3 W4 W5 E2E STREAM] [--backend onnx|tfjs] [--inputs DIR] [--evals N]`. */
import { GramophoneError } from '../common/errors';
import { DEFAULT_WORKLOADS, WORKLOAD_NAMES, type WorkloadName } from './workloads';

export interface BenchArgs {
  workloads: WorkloadName[];
  backend: 'onnx' | 'tfjs';
  /** Folder written by `reference.py --write-inputs DIR`; without it inputs are synthesized. */
  inputs?: string;
  /** Timed evaluations per style workload (reference.py: 10). */
  evals: number;
  /** Internal: run exactly one workload in this process (the parent spawns one child per workload). */
  child: boolean;
  /** Paired-timing server for bench/paired.py (style workloads only). */
  serve: boolean;
  /** PACE: the built-in presets to render (default all), by name. */
  presets?: string[];
  /** PACE: seconds of content (the demo content tiled); default the demo's own 10 s. */
  seconds?: number;
  /** STREAM: render without readying the style first (as before the workstation readied it). */
  cold: boolean;
}

export const BENCH_USAGE = `Usage: npm run bench -- [W1] [W2] [W3] [W4] [W5] [E2E] [STREAM] [PACE] [--backend onnx|tfjs] [--inputs DIR] [--evals N]
  W1, W2  one evaluation of the style objective (loss + gradient), as reference.py
  W3      100 iterations of fast Griffin-Lim on 10 s at 44.1 kHz
  W4      one evaluation of "Verma & Smith" (six 3×3 conv2d with pooling) on 10 s at 16 kHz
  W5      one evaluation of "IITB mel tanh" (128-band log-mel, one conv2d) on 10 s at 22.05 kHz
  E2E     the CLI rendering the bundled demo with "Quick preview" (wall time, peak RSS)
  STREAM  the default preset streaming 60 s of content: first segment, wall and CPU, real-time factor, profile
  PACE    every built-in preset on the demo pair: wall and CPU s, final loss, spectral
          convergence, melody kept, peak RSS (not in the default set: minutes of work)
  --preset NAME  PACE: this built-in only (repeatable)
  --seconds S    PACE: the demo content tiled to S seconds
  --cold         STREAM: the style not readied before Render (transcribed inside the first segment)
  --serve W1|W2|W4|W5 one evaluation per stdin line, for bench/paired.py
  --inputs DIR  the WAVs of \`python3 reference.py --write-inputs DIR\` (else synthesized in TS)
Default: W1–W5, E2E and STREAM. One JSON line per workload on stdout.`;

/** Parse argv (without node and script). */
export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  const out: BenchArgs = { workloads: [], backend: 'onnx', evals: 10, child: false, serve: false, cold: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new GramophoneError('INVALID_INPUT', `${a} needs a value\n${BENCH_USAGE}`);
      return v;
    };
    if (a === '--backend') {
      const b = value();
      if (b !== 'onnx' && b !== 'tfjs') throw new GramophoneError('INVALID_INPUT', `--backend must be onnx or tfjs, not "${b}"`);
      out.backend = b;
    } else if (a === '--inputs') out.inputs = value();
    else if (a === '--evals') {
      const n = Number(value());
      if (!Number.isInteger(n) || n < 1) throw new GramophoneError('INVALID_INPUT', '--evals must be a whole number ≥ 1');
      out.evals = n;
    } else if (a === '--preset') out.presets = [...(out.presets ?? []), value()];
    else if (a === '--seconds') {
      const n = Number(value());
      if (!Number.isFinite(n) || n < 1 || n > 3600) throw new GramophoneError('INVALID_INPUT', '--seconds must be a number of seconds from 1 to 3600');
      out.seconds = n;
    } else if (a === '--cold') out.cold = true;
    else if (a === '--child') out.child = true;
    else if (a === '--serve') out.serve = true;
    else if ((WORKLOAD_NAMES as readonly string[]).includes(a.toUpperCase())) out.workloads.push(a.toUpperCase() as WorkloadName);
    else throw new GramophoneError('INVALID_INPUT', `Unknown argument "${a}"\n${BENCH_USAGE}`);
  }
  if (!out.workloads.length) out.workloads = [...DEFAULT_WORKLOADS];
  return out;
}
