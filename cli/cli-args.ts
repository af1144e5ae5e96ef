/**
 * Parse the command line into typed options. Every value is checked here, so a typo gives a
 * message about the option rather than a failure deep inside a render.
 */
import type { ExportFormat, Region } from '../common/audio';
import { MAX_SAMPLE_RATE, MIN_SAMPLE_RATE } from '../common/audio-formats';
import { GramophoneError } from '../common/errors';
import { BACKENDS, type BackendChoice } from '../common/preset';
import { LOSS_TERM_TABLE, type LossTermName } from '../common/loss-terms';
import { DEVICES, type DeviceChoice } from '../common/device';

export type Command = 'render' | 'demo' | 'presets' | 'backends' | 'batch' | 'worker';
const COMMANDS: readonly Command[] = ['render', 'demo', 'presets', 'backends', 'batch', 'worker'];

/** Options a batch grid sweeps, as comma lists (`--beta 0.3,1,3`); outside `batch` each list has one value. */
export interface SweepOptions {
  preset?: string[];
  presetFile?: string[];
  seed?: number[];
  /** Per loss term, from the terms' flags. */
  weights?: Partial<Record<LossTermName, number[]>>;
}

export interface CliOptions {
  command?: Command;
  help?: boolean;
  json?: boolean;
  content?: string;
  style?: string;
  out?: string;
  /** Write the transcribed notes of the content, the style and the take here (a Standard MIDI File). */
  notesOut?: string;
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
  device?: DeviceChoice;
  /** Every --content / --style given (a batch takes many, and folders). */
  contents?: string[];
  styles?: string[];
  sweep?: SweepOptions;
  manifest?: string;
  /** Engine processes for a local batch, or jobs at once for a worker. */
  processes?: number;
  /** redis://HOST:PORT of the BullMQ queue. */
  queue?: string;
  /** Seconds without a heartbeat after which a worker's job is handed to another worker. */
  stallTimeout?: number;
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

/** A comma list of numbers, each checked like `number`. */
const numbers = (flag: string, v: string, limits: Parameters<typeof number>[2]) => v.split(',').map((x) => number(flag, x.trim(), limits));
/** A comma list of names, none empty. */
function names(flag: string, v: string): string[] {
  const list = v.split(',').map((x) => x.trim());
  if (list.some((x) => !x)) throw bad(`${flag} has an empty item in "${v}"`);
  return list;
}

/**
 * @param argv arguments after the program name
 * @throws GramophoneError INVALID_INPUT naming the bad option
 */
export function parseCliArgs(argv: string[]): CliOptions {
  const o: CliOptions = {};
  const args = [...argv];
  const sweep: SweepOptions = {};
  const listed = <T>(list: T[], keep: (l: T[]) => void): T => {
    keep(list);
    return list[0];
  };
  // After --content/--style, bare words are more files of the same role (a shell glob).
  let lastFiles: 'contents' | 'styles' | undefined;
  while (args.length) {
    const a = args.shift()!;
    if (a === '-h' || a === '--help') {
      o.help = true;
      lastFiles = undefined;
      continue;
    }
    if (a === '--json') {
      o.json = true;
      lastFiles = undefined;
      continue;
    }
    if (!a.startsWith('--')) {
      if (lastFiles && o.command) {
        o[lastFiles]!.push(a);
        continue;
      }
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
    lastFiles = undefined;
    switch (flag) {
      case '--content':
        (o.contents ??= []).push((o.content = take()));
        lastFiles = 'contents';
        break;
      case '--style':
        (o.styles ??= []).push((o.style = take()));
        lastFiles = 'styles';
        break;
      case '--notes-out':
        o.notesOut = take();
        break;
      case '--out':
        o.out = take();
        break;
      case '--preset':
        o.preset = listed(names(flag, take()), (l) => (sweep.preset = l));
        break;
      case '--preset-file':
        o.presetFile = listed(names(flag, take()), (l) => (sweep.presetFile = l));
        break;
      case '--iterations':
        o.iterations = number(flag, take(), { integer: true, min: 1, max: 10000 });
        break;
      case '--seed':
        o.seed = listed(numbers(flag, take(), { integer: true, min: 0, max: 0xffffffff }), (l) => (sweep.seed = l));
        break;
      case '--backend':
        o.backend = oneOf(flag, take(), BACKENDS);
        break;
      case '--device':
        o.device = oneOf(flag, take(), DEVICES);
        break;
      case '--manifest':
        o.manifest = take();
        break;
      case '--processes':
        o.processes = number(flag, take(), { integer: true, min: 1, max: 256 });
        break;
      case '--queue': {
        const v = take();
        if (!/^rediss?:\/\/[^\s/]+/.test(v)) throw bad(`--queue needs a Redis URL such as redis://HOST:6379, got "${v}"`);
        o.queue = v;
        break;
      }
      case '--stall-timeout':
        o.stallTimeout = number(flag, take(), { min: 1, max: 3600 });
        break;
      case '--format':
        o.format = oneOf(flag, take(), ['pcm16', 'pcm24', 'float32'] as const);
        break;
      case '--rate': {
        const v = take();
        o.rate = v === 'engine' || v === 'content' ? v : number(flag, v, { integer: true, min: MIN_SAMPLE_RATE, max: MAX_SAMPLE_RATE });
        break;
      }
      case '--channels':
        o.channels = oneOf(flag, take(), [1, 2] as const);
        break;
      case '--memory-budget':
        o.memoryBudget = take();
        break;
      case '--segment-seconds':
        o.segmentSeconds = number(flag, take(), { min: 5, max: 3600 });
        break;
      case '--region': {
        const m = /^(\d+(?:\.\d+)?):(\d+(?:\.\d+)?)$/.exec(take());
        if (!m || Number(m[2]) <= Number(m[1])) throw bad(`--region needs START:END in seconds with END > START, got "${value}"`);
        o.region = { start: Number(m[1]), end: Number(m[2]) };
        break;
      }
      default: {
        const term = LOSS_TERM_TABLE.find((t) => t.cliFlag === flag);
        if (!term) throw bad(`Unknown option ${flag} (see --help)`);
        const weight = listed(numbers(flag, take(), { min: 0, max: 1e6 }), (l) => (sweep.weights = { ...sweep.weights, [term.name]: l }));
        o.weights = { ...o.weights, [term.name]: weight };
      }
    }
  }
  if (o.command === 'batch') {
    o.sweep = sweep;
  } else {
    if (o.preset && o.presetFile) throw bad('Use either --preset or --preset-file, not both');
    const lists: [string, unknown[] | undefined][] = [
      ['--preset', sweep.preset],
      ['--preset-file', sweep.presetFile],
      ['--seed', sweep.seed],
      ...LOSS_TERM_TABLE.map((t): [string, unknown[] | undefined] => [t.cliFlag, sweep.weights?.[t.name]]),
      ['--content', o.contents],
      ['--style', o.styles],
    ];
    for (const [flag, list] of lists) {
      if (list && list.length > 1) throw bad(`${flag} takes a list ${flag === '--content' || flag === '--style' ? 'of files' : 'of values'} only in a batch`);
    }
  }
  return o;
}
