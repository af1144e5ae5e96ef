/**
 * Errors cross every process boundary as data: `{ ok: false, error: { code, message } }`.
 * The set of codes is closed; callers switch on `code`, people read `message`.
 */
export const ERROR_CODES = ['INVALID_INPUT', 'UNSUPPORTED_AUDIO', 'CANCELLED', 'ENGINE_CRASHED', 'OUT_OF_MEMORY', 'IO_ERROR', 'INTERNAL'] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** The serialisable form of an error. `message` is written for a person. */
export interface ErrorData {
  code: ErrorCode;
  message: string;
}

/** An error with a code from the closed set; rethrown on the calling side of any RPC. */
export class GramophoneError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'GramophoneError';
    this.code = code;
  }
  toData(): ErrorData {
    return { code: this.code, message: this.message };
  }
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorData };

export const isErrorCode = (c: unknown): c is ErrorCode => typeof c === 'string' && (ERROR_CODES as readonly string[]).includes(c);

/**
 * Any thrown value as ErrorData. Unknown errors become INTERNAL; an allocation failure
 * becomes OUT_OF_MEMORY so the UI can say so rather than "internal error".
 */
export function toErrorData(e: unknown): ErrorData {
  if (e instanceof GramophoneError) return e.toData();
  if (e && typeof e === 'object' && isErrorCode((e as ErrorData).code) && typeof (e as ErrorData).message === 'string') {
    return { code: (e as ErrorData).code, message: (e as ErrorData).message };
  }
  if (e instanceof RangeError && /allocation|array buffer|invalid array length|out of memory/i.test(e.message)) {
    return { code: 'OUT_OF_MEMORY', message: `Out of memory: ${e.message}` };
  }
  const message = e instanceof Error ? e.message : String(e);
  return { code: 'INTERNAL', message: message || 'Internal error' };
}

/** Rebuild a throwable error from its data form. */
export const fromErrorData = (d: ErrorData): GramophoneError => new GramophoneError(d.code, d.message);

/** Thrown by a job that stopped because it was asked to. */
export const cancelled = (what = 'Render') => new GramophoneError('CANCELLED', `${what} cancelled`);

/** Whether `e` is a cancellation (a job stopped on purpose), not a failure to report. */
export const isCancel = (e: unknown): boolean => e instanceof GramophoneError && e.code === 'CANCELLED';

/** How a promise made with `new Promise` is settled later: with its value, or with a GramophoneError. */
export interface Settlers<T> {
  resolve: (value: T) => void;
  reject: (e: GramophoneError) => void;
}
