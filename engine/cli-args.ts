/**
 * Parse the command line into typed options. Every value is checked here, so a typo gives a
 * message about the option rather than a failure deep inside a render.
 */
import type { ExportFormat, Region } from '../common/audio';
import { MAX_SAMPLE_RATE, MIN_SAMPLE_RATE } from '../common/audio-formats';
import { GramophoneError } from '../common/errors';
import { BACKENDS, type BackendChoice } from '../common/preset';
import { LOSS_TERM_TABLE, type LossTermName } from '../common/loss-terms';

export type Command = 'render' | 'demo' | 'presets' | 'backends';
const COMMANDS: readonly Command[] = ['render', 'demo', 'presets', 'backends'];

export interface CliOptions {
  command?: Command;
  help?: boolean;
  json?: boolean;
  content?: string;
  style?: string;
  out?: string;
  preset?: string;
  presetFile?: string;
  /** Loss-weight overrides from the terms' flags (--alpha, --beta, …). */
  weights?: Partial<Record<LossTermName, number>>;
  iterations?: number;
  seed?: number;
  backend?: BackendChoice;
  format?: ExportFormat['encoding'];
  /** The take's rate: 'content' (the default) follows the content file. */
  rate?: ExportFormat['sampleRate'] | 'content';
  /** The take's channels; by default the content's (1 if mono, else 2). */
  channels?: ExportFormat['channels'];
  region?: Region;
  /** The memory budget as written ("4G"); checked by render/budget.ts. */
  memoryBudget?: string;
  /** Render in segments of this many seconds. */
  segmentSeconds?: number;
}

const bad = (message: string) => new GramophoneError('INVALID_INPUT', message);

function number(flag: string, v: string, { integer = false, min = -Infinity, max = Infinity } = {}): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min || n > max) {
    const kind = integer ? 'an integer' : 'a number';
    throw bad(`${flag} needs ${kind}${min > -Infinity ? ` ≥ ${min}` : ''}${max < Infinity ? ` ≤ ${max}` : ''}, got "${v}"`);
  }
  return n;
}

function oneOf<T extends string | number>(flag: string, v: string, allowed: readonly T[]): T {
  const found = allowed.find((a) => String(a) === v);
  if (found === undefined) throw bad(`${flag} must be one of ${allowed.join(', ')}, got "${v}"`);
  return found;
}

/**
 * @param argv arguments after the program name
 * @throws GramophoneError INVALID_INPUT naming the bad option
 */
export function parseCliArgs(argv: string[]): CliOptions {
  const o: CliOptions = {};
  const args = [...argv];
  while (args.length) {
    const a = args.shift()!;
    if (a === '-h' || a === '--help') {
      o.help = true;
      continue;
    }
    if (a === '--json') {
      o.json = true;
      continue;
    }
    if (!a.startsWith('--')) {
      if (o.command) throw bad(`Unexpected argument "${a}"`);
      o.command = oneOf('command', a, COMMANDS);
      continue;
    }
    const eq = a.indexOf('=');
    const flag = eq > 0 ? a.slice(0, eq) : a;
    let value = eq > 0 ? a.slice(eq + 1) : undefined;
    const take = () => {
      if (value === undefined) {
        if (!args.length || (args[0].startsWith('--') && !/^--?\d/.test(args[0]))) throw bad(`${flag} needs a value`);
        value = args.shift()!;
      }
      return value;
    };
    switch (flag) {
      case '--content': o.content = take(); break;
      case '--style': o.style = take(); break;
      case '--out': o.out = take(); break;
      case '--preset': o.preset = take(); break;
      case '--preset-file': o.presetFile = take(); break;
      case '--iterations': o.iterations = number(flag, take(), { integer: true, min: 1, max: 10000 }); break;
      case '--seed': o.seed = number(flag, take(), { integer: true, min: 0, max: 0xffffffff }); break;
      case '--backend': o.backend = oneOf(flag, take(), BACKENDS); break;
      case '--format': o.format = oneOf(flag, take(), ['pcm16', 'pcm24', 'float32'] as const); break;
      case '--rate': {
        const v = take();
        o.rate = v === 'engine' || v === 'content' ? v : number(flag, v, { integer: true, min: MIN_SAMPLE_RATE, max: MAX_SAMPLE_RATE });
        break;
      }
      case '--channels': o.channels = oneOf(flag, take(), [1, 2] as const); break;
      case '--memory-budget': o.memoryBudget = take(); break;
      case '--segment-seconds': o.segmentSeconds = number(flag, take(), { min: 5, max: 3600 }); break;
      case '--region': {
        const m = /^(\d+(?:\.\d+)?):(\d+(?:\.\d+)?)$/.exec(take());
        if (!m || Number(m[2]) <= Number(m[1])) throw bad(`--region needs START:END in seconds with END > START, got "${value}"`);
        o.region = { start: Number(m[1]), end: Number(m[2]) };
        break;
      }
      default: {
        const term = LOSS_TERM_TABLE.find((t) => t.cliFlag === flag);
        if (!term) throw bad(`Unknown option ${flag} (see --help)`);
        o.weights = { ...o.weights, [term.name]: number(flag, take(), { min: 0, max: 1e6 }) };
      }
    }
  }
  if (o.preset && o.presetFile) throw bad('Use either --preset or --preset-file, not both');
  return o;
}
