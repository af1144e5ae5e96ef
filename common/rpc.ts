/**
 * One small RPC used everywhere: engine ↔ main (utilityProcess port, Node child process or
 * worker), renderer ↔ main (Electron IPC or the WebSocket bridge). Requests are
 * `{ kind: 'request', id, method, args }`, replies `{ kind: 'reply', id, ok, value | error }`,
 * events `{ kind: 'event', event, data }`. An API is declared once as a spec of zod schemas;
 * the server validates every incoming payload against it and the client is typed by it.
 */
import { z } from 'zod';
import { ErrorData, GramophoneError, fromErrorData, toErrorData } from './errors';

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

/** The caller's view: one async method per API method. */
export type ApiClient<S extends ApiSpec> = {
  [M in MethodName<S>]: (args: ArgsOf<S, M>) => Promise<ResultOf<S, M>>;
};

/** The implementer's view: args arrive validated. `ctx` carries transport details. */
export type ApiHandlers<S extends ApiSpec, Ctx = void> = {
  [M in MethodName<S>]: (
    args: z.output<S['methods'][M]['args']>,
    ctx: Ctx,
  ) => Promise<z.input<S['methods'][M]['result']>> | z.input<S['methods'][M]['result']>;
};

export type RpcRequest = { kind: 'request'; id: number; method: string; args: unknown };
export type RpcReply =
  | { kind: 'reply'; id: number; ok: true; value: unknown }
  | { kind: 'reply'; id: number; ok: false; error: ErrorData };
export type RpcEvent = { kind: 'event'; event: string; data: unknown };
export type RpcMessage = RpcRequest | RpcReply | RpcEvent;

const isObj = (m: unknown): m is Record<string, unknown> => !!m && typeof m === 'object';

/** A readable summary of a zod failure, bounded so a hostile payload cannot make it huge. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.map(String).join('.') || 'argument'}: ${i.message}`)
    .join('; ')
    .slice(0, 500);
}

/**
 * Validate and dispatch one request. Unknown methods and invalid payloads are refused with
 * INVALID_INPUT; a handler's throw becomes error data. Never throws.
 */
export async function dispatch<S extends ApiSpec, Ctx>(
  spec: S,
  handlers: ApiHandlers<S, Ctx>,
  method: unknown,
  args: unknown,
  ctx: Ctx,
): Promise<{ ok: true; value: unknown } | { ok: false; error: ErrorData }> {
  if (typeof method !== 'string' || !Object.prototype.hasOwnProperty.call(spec.methods, method)) {
    return { ok: false, error: { code: 'INVALID_INPUT', message: `Unknown method ${JSON.stringify(String(method)).slice(0, 80)}` } };
  }
  const parsed = spec.methods[method].args.safeParse(args);
  if (!parsed.success) {
    return { ok: false, error: { code: 'INVALID_INPUT', message: `Invalid arguments for ${method}: ${describeIssues(parsed.error)}` } };
  }
  try {
    const handler = (handlers as Record<string, (a: unknown, c: Ctx) => unknown>)[method];
    const value = await handler(parsed.data, ctx);
    return { ok: true, value };
  } catch (e) {
    return { ok: false, error: toErrorData(e) };
  }
}

/**
 * Serve `handlers` on `port`. Returns `emit` for events and `close` to stop listening.
 */
export function serve<S extends ApiSpec>(
  port: PortLike,
  spec: S,
  handlers: ApiHandlers<S, void>,
): { emit<E extends EventName<S>>(event: E, data: EventData<S, E>): void; close(): void } {
  const off = port.onMessage((m) => {
    if (!isObj(m) || m.kind !== 'request' || typeof m.id !== 'number') return;
    const id = m.id;
    void dispatch(spec, handlers, m.method, m.args, undefined).then((r) => {
      const reply: RpcReply = r.ok ? { kind: 'reply', id, ok: true, value: r.value } : { kind: 'reply', id, ok: false, error: r.error };
      try {
        port.postMessage(reply);
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
 * GramophoneError with the peer's code.
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
      return (args: unknown) =>
        new Promise((resolve, reject) => {
          const id = nextId++;
          pending.set(id, { resolve, reject });
          try {
            port.postMessage({ kind: 'request', id, method, args } satisfies RpcRequest);
          } catch (e) {
            pending.delete(id);
            reject(fromErrorData(toErrorData(e)));
          }
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

/** Two connected in-memory ports (for tests and same-process wiring). Delivery is async. */
export function portPair(): [PortLike, PortLike] {
  const sides = [new Set<(m: unknown) => void>(), new Set<(m: unknown) => void>()];
  const make = (mine: number): PortLike => ({
    postMessage: (m) => {
      const copy = structuredClone(m);
      queueMicrotask(() => sides[1 - mine].forEach((l) => l(copy)));
    },
    onMessage: (l) => {
      sides[mine].add(l);
      return () => sides[mine].delete(l);
    },
  });
  return [make(0), make(1)];
}
