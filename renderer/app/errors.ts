/** How the UI's clients read errors from the shell API. */
import { GramophoneError } from '../../common/errors';

/** An error's message in words. */
export const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** True for a call that ended because it was cancelled. */
export const isCancel = (e: unknown): boolean => e instanceof GramophoneError && e.code === 'CANCELLED';
