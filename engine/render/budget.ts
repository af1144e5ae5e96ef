/**
 * The memory budget a render must stay under: what a person set, or a share of the memory
 * the machine has available when the render starts. Renders that would not fit are cut
 * into segments (chunked.ts) or refused; the engine host uses the same figure to tell an
 * out-of-memory kill from other crashes.
 */
import { memoryLimits } from '../io/memory';
import { MEMORY_BUDGET_ENV } from '../../common/engine-api';
import { GramophoneError } from '../../common/errors';
import { formatBytes, parseByteSize } from '../../common/units';

/**
 * Share of the available memory a render may take by default: the rest is the person's other
 * programs, the workstation itself (which holds the inputs and takes) and the estimate's error.
 */
export const AVAILABLE_SHARE = 0.6;

/** Smallest budget: below it not even a short segment of a light preset fits. */
export const MIN_MEMORY_BUDGET = 256 * 2 ** 20;

/**
 * The budget in bytes: `$GRAMOPHONE_MEMORY_BUDGET` when set, else AVAILABLE_SHARE of the
 * memory available now (MemAvailable on Linux, or what is left under a container's lower
 * limit), never below MIN_MEMORY_BUDGET.
 * @throws GramophoneError INVALID_INPUT when the variable is set to something not a size
 */
export function memoryBudget(env: NodeJS.ProcessEnv = process.env, available: number = memoryLimits().available): number {
  const set = env[MEMORY_BUDGET_ENV];
  if (set !== undefined && set.trim() !== '') return parseBudget(set, MEMORY_BUDGET_ENV);
  return Math.max(MIN_MEMORY_BUDGET, Math.floor(available * AVAILABLE_SHARE));
}

/**
 * A budget a person wrote ("4G"), at least MIN_MEMORY_BUDGET.
 * @param source where it came from, for the message ("--memory-budget")
 * @throws GramophoneError INVALID_INPUT saying what is wrong
 */
export function parseBudget(text: string, source: string): number {
  const bytes = parseByteSize(text);
  if (bytes === null) throw new GramophoneError('INVALID_INPUT', `${source} must be a size such as 4G or 1500M, not "${text.slice(0, 40)}"`);
  if (bytes < MIN_MEMORY_BUDGET) throw new GramophoneError('INVALID_INPUT', `${source} is ${formatBytes(bytes)}; at least ${formatBytes(MIN_MEMORY_BUDGET)} is needed`);
  return bytes;
}
