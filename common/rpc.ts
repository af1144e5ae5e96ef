/**
 * One small RPC used everywhere: engine ↔ main (utilityProcess port, Node child process or
 * worker), renderer ↔ main (Electron IPC or the WebSocket bridge). Requests are
 * `{ kind: 'request', id, method, args }`, replies `{ kind: 'reply', id, ok, value | error }`,
 * events `{ kind: 'event', event, data }`, and `{ kind: 'cancel', id }` asks the server to
 * stop request `id` (VS Code's PromiseCancel): the caller passes an AbortSignal, the handler
 * receives one, and the request still ends with its reply (CANCELLED, or the result if it
 * finished first). An API is declared once as a spec of zod schemas; the server validates
 * every incoming payload against it and the client is typed by it.
 */
import { z } from 'zod';
import { type ErrorData, GramophoneError, cancelled, fromErrorData, toErrorData } from './errors';

/** Anything that can carry structured-cloneable messages both ways. */
export interface PortLike {
  postMessage(message: unknown): void;
  /** Subscribe to incoming messages; returns an unsubscribe function. */
  onMessage(listener: (message: unknown) => void): () => void;
}

export interface MethodSpec<A extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  args: A;
  result: R;
}
export interface ApiSpec {
  methods: Record<string, MethodSpec>;
  events: Record<string, z.ZodType>;
}

/** Declare an API; the identity function, there for inference. */
export const defineApi = <S extends ApiSpec>(spec: S): S => spec;

export type MethodName<S extends ApiSpec> = keyof S['methods'] & string;
export type EventName<S extends ApiSpec> = keyof S['events'] & string;
export type ArgsOf<S extends ApiSpec, M extends MethodName<S>> = z.input<S['methods'][M]['args']>;
export type ResultOf<S extends ApiSpec, M extends MethodName<S>> = z.output<S['methods'][M]['result']>;
export type EventData<S extends ApiSpec, E extends EventName<S>> = z.output<S['events'][E]>;

/** How a caller may shape one call. */
export interface CallOptions {
  /** Aborting it sends a cancel for this call; the call then rejects with CANCELLED. */
  signal?: AbortSignal;
}

/** The caller's view: one async method per API method. */
export type ApiClient<S extends ApiSpec> = {
  [M in MethodName<S>]: (args: ArgsOf<S, M>, options?: CallOptions) => Promise<ResultOf<S, M>>;
};

/** What a handler knows about its call besides the arguments. */
export interface CallContext {
  /** Aborted when the caller cancels this call. */
  signal: AbortSignal;
}

/** The implementer's view of a set of methods (an API, or one part of it): args arrive validated. */
export type MethodHandlers<Ms extends Record<string, MethodSpec>> = {
  [M in keyof Ms & string]: (args: z.output<Ms[M]['args']>, ctx: CallContext) => Promise<z.input<Ms[M]['result']>> | z.input<Ms[M]['result']>;
};

/** The implementer's view of a whole API. */
export type ApiHandlers<S extends ApiSpec> = MethodHandlers<S['methods']>;

type RpcRequest = { kind: 'request'; id: number; method: string; args: unknown };
export type RpcReply = { kind: 'reply'; id: number; ok: true; value: unknown } | { kind: 'reply'; id: number; ok: false; error: ErrorData };
type RpcEvent = { kind: 'event'; event: string; data: unknown };
type RpcCancel = { kind: 'cancel'; id: number };

const isObj = (m: unknown): m is Record<string, unknown> => !!m && typeof m === 'object';

/** A readable summary of a zod failure, bounded so a hostile payload cannot make it huge. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.map(String).join('.') || 'argument'}: ${i.message}`)
    .join('; ')
    .slice(0, 500);
}

const NEVER_ABORTED = new AbortController().signal;

/**
 * Validate and dispatch one request. Unknown methods and invalid payloads are refused with
 * INVALID_INPUT; a handler's throw becomes error data. Never throws.
 * @param signal aborted when the caller cancels the request
 */
export async function dispatch<S extends ApiSpec>(
  spec: S,
  handlers: ApiHandlers<S>,
  method: unknown,
  args: unknown,
  signal: AbortSignal = NEVER_ABORTED,
): Promise<{ ok: true; value: unknown } | { ok: false; error: ErrorData }> {
  if (typeof method !== 'string' || !Object.prototype.hasOwnProperty.call(spec.methods, method)) {
    return { ok: false, error: { code: 'INVALID_INPUT', message: `Unknown method ${JSON.stringify(String(method)).slice(0, 80)}` } };
  }
  const parsed = spec.methods[method].args.safeParse(args);
  if (!parsed.success) {
    return { ok: false, error: { code: 'INVALID_INPUT', message: `Invalid arguments for ${method}: ${describeIssues(parsed.error)}` } };
  }
  try {
    const handler = (handlers as Record<string, (a: unknown, c: CallContext) => unknown>)[method];
    const value = await handler(parsed.data, { signal });
    return { ok: true, value };
  } catch (e) {
    return { ok: false, error: toErrorData(e) };
  }
}

/**
 * Requests a server is working on, by id, so that a cancel message can abort the one it
 * names. Every transport that serves requests keeps one (`serve` below, and the Electron
 * IPC bridge, whose requests arrive through `ipcMain.handle`).
 */
export class InFlightCalls<K> {
  private readonly calls = new Map<K, AbortController>();

  /** A signal for request `key`, aborted by `cancel(key)` until `finish(key)`. */
  start(key: K): AbortSignal {
    const controller = new AbortController();
    this.calls.set(key, controller);
    return controller.signal;
  }

  cancel(key: K): void {
    this.calls.get(key)?.abort();
  }

  finish(key: K): void {
    this.calls.delete(key);
  }
}

/** The reply for a dispatch result. */
export const replyOf = (id: number, r: { ok: true; value: unknown } | { ok: false; error: ErrorData }): RpcReply =>
  r.ok ? { kind: 'reply', id, ok: true, value: r.value } : { kind: 'reply', id, ok: false, error: r.error };

/** A request or cancel message, checked for shape (ids are safe integers); null otherwise. */
export function readClientMessage(m: unknown): RpcRequest | RpcCancel | null {
  if (!isObj(m) || typeof m.id !== 'number' || !Number.isSafeInteger(m.id)) return null;
  if (m.kind === 'request') return { kind: 'request', id: m.id, method: m.method as string, args: m.args };
  if (m.kind === 'cancel') return { kind: 'cancel', id: m.id };
  return null;
}

/**
 * Serve `handlers` on `port`. Returns `emit` for events and `close` to stop listening.
 * Requests still running when the port closes run to the end (a page reloaded mid-render
 * still gets its take); only a cancel message stops one.
 */
export function serve<S extends ApiSpec>(port: PortLike, spec: S, handlers: ApiHandlers<S>): { emit<E extends EventName<S>>(event: E, data: EventData<S, E>): void; close(): void } {
  const inFlight = new InFlightCalls<number>();
  const off = port.onMessage((raw) => {
    const m = readClientMessage(raw);
    if (!m) return;
    if (m.kind === 'cancel') return inFlight.cancel(m.id);
    const id = m.id;
    const signal = inFlight.start(id);
    void dispatch(spec, handlers, m.method, m.args, signal).then((r) => {
      inFlight.finish(id);
      try {
        port.postMessage(replyOf(id, r));
      } catch (e) {
        port.postMessage({ kind: 'reply', id, ok: false, error: toErrorData(e) } satisfies RpcReply);
      }
    });
  });
  return {
    emit: (event, data) => port.postMessage({ kind: 'event', event, data } satisfies RpcEvent),
    close: off,
  };
}

export interface RpcConnection<S extends ApiSpec> {
  api: ApiClient<S>;
  /** Subscribe to an event; returns an unsubscribe function. */
  on<E extends EventName<S>>(event: E, listener: (data: EventData<S, E>) => void): () => void;
  /** Reject every pending call with `error` (e.g. ENGINE_CRASHED when the peer died). */
  failPending(error: ErrorData): void;
  /** Number of calls awaiting a reply. */
  pendingCount(): number;
  close(): void;
}

/**
 * Connect to an API served on `port`. Replies are matched by id; errors are rethrown as
 * GramophoneError with the peer's code. A call whose signal aborts sends `cancel` and goes
 * on waiting for its reply, so the caller learns when the work has really stopped; a signal
 * already aborted rejects with CANCELLED without sending anything.
 */
export function connect<S extends ApiSpec>(port: PortLike, spec: S): RpcConnection<S> {
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: GramophoneError) => void }>();
  const listeners = new Map<string, Set<(d: unknown) => void>>();
  const off = port.onMessage((m) => {
    if (!isObj(m)) return;
    if (m.kind === 'reply' && typeof m.id === 'number') {
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      if (m.ok === true) p.resolve(m.value);
      else p.reject(fromErrorData(toErrorData(m.error)));
    } else if (m.kind === 'event' && typeof m.event === 'string') {
      for (const l of listeners.get(m.event) ?? []) l(m.data);
    }
  });
  const api = new Proxy({} as ApiClient<S>, {
    get: (_t, method) => {
      if (typeof method !== 'string' || !(method in spec.methods)) return undefined;
      return (args: unknown, options?: CallOptions) =>
        new Promise((resolve, reject) => {
          const signal = options?.signal;
          if (signal?.aborted) return reject(cancelled('Request'));
          const id = nextId++;
          const onAbort = () => {
            if (!pending.has(id)) return;
            try {
              port.postMessage({ kind: 'cancel', id } satisfies RpcCancel);
            } catch {
              // The port is gone: the pending call fails with the connection.
            }
          };
          const settle = () => signal?.removeEventListener('abort', onAbort);
          pending.set(id, {
            resolve: (v) => (settle(), resolve(v)),
            reject: (e) => (settle(), reject(e)),
          });
          try {
            port.postMessage({ kind: 'request', id, method, args } satisfies RpcRequest);
          } catch (e) {
            pending.delete(id);
            settle();
            return reject(fromErrorData(toErrorData(e)));
          }
          signal?.addEventListener('abort', onAbort, { once: true });
        });
    },
  });
  return {
    api,
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener as (d: unknown) => void);
      return () => set.delete(listener as (d: unknown) => void);
    },
    failPending(error) {
      const all = [...pending.values()];
      pending.clear();
      for (const p of all) p.reject(fromErrorData(error));
    },
    pendingCount: () => pending.size,
    close() {
      off();
      listeners.clear();
    },
  };
}
