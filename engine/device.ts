/**
 * Where the onnx backend runs. The choice (auto | cpu | gpu) maps to onnxruntime execution
 * providers by a pure function of the platform and the providers that can load here; a
 * provider that fails to load or to run a graph makes this process fall back to the CPU
 * for good, said once in one line. Results on a GPU are not bit-identical to the CPU's,
 * which is why the CPU stays the default wherever no stable GPU provider is installed.
 */
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as Ort from 'onnxruntime-node';
import { DEFAULT_DEVICE, DEVICE_ENV, DEVICES, isDeviceChoice, type DeviceChoice } from '../common/device';

interface GpuProvider {
  /** onnxruntime's name for it. */
  name: string;
  /** Tried only when the user asks for `gpu`, never by `auto`. */
  experimental?: boolean;
}

/**
 * GPU execution providers by platform, best first (onnxruntime-node's prebuilt binaries:
 * CoreML on macOS, DirectML on Windows, CUDA on Linux x64 once its provider libraries are
 * installed; WebGPU is experimental).
 */
const GPU_PROVIDERS: Readonly<Record<string, readonly GpuProvider[]>> = {
  darwin: [{ name: 'coreml' }, { name: 'webgpu', experimental: true }],
  win32: [{ name: 'dml' }, { name: 'webgpu', experimental: true }],
  linux: [{ name: 'cuda' }, { name: 'webgpu', experimental: true }],
};

/** The execution providers for a session, and what to tell the user about it. */
export interface ProviderPlan {
  /** onnxruntime execution providers in order of preference; always ends with 'cpu'. */
  providers: string[];
  /** The provider doing the work: 'cpu' or a GPU provider's name. */
  device: string;
  /** Why a GPU the user asked for is not used, in words; absent when there is nothing to say. */
  note?: string;
}

/**
 * Map a device choice to onnxruntime execution providers.
 * @param choice the user's `--device`
 * @param platform `process.platform` ('darwin', 'win32', 'linux', …)
 * @param available names of the providers that can load here (see `loadableProviders`)
 */
export function chooseExecutionProviders(choice: DeviceChoice, platform: string, available: readonly string[]): ProviderPlan {
  if (choice === 'cpu') return { providers: ['cpu'], device: 'cpu' };
  const candidates = (GPU_PROVIDERS[platform] ?? []).filter((p) => choice === 'gpu' || !p.experimental);
  const found = candidates.find((p) => available.includes(p.name));
  if (found) return { providers: [found.name, 'cpu'], device: found.name };
  if (choice === 'auto') return { providers: ['cpu'], device: 'cpu' };
  const tried = candidates.length ? candidates.map((p) => p.name).join(', ') : 'none is known for this platform';
  return { providers: ['cpu'], device: 'cpu', note: `no GPU execution provider is available on ${platform} (looked for: ${tried}); running on the CPU` };
}

/**
 * Providers onnxruntime-node can load here: the bundled ones, plus those shipped as separate
 * libraries (CUDA, TensorRT) when their library is installed next to the binding.
 */
export function loadableProviders(ort: typeof Ort): string[] {
  const list = (ort as { listSupportedBackends?: () => { name: string; bundled: boolean }[] }).listSupportedBackends?.() ?? [{ name: 'cpu', bundled: true }];
  return list.filter((b) => b.bundled || providerLibraryInstalled(b.name)).map((b) => b.name);
}

function providerLibraryInstalled(name: string): boolean {
  try {
    const root = path.dirname(createRequire(import.meta.url).resolve('onnxruntime-node/package.json'));
    const bin = path.join(root, 'bin');
    const file = new RegExp(`onnxruntime_providers_${name}\\.(so|dll|dylib)$`);
    return readdirSync(bin).some((napi) => {
      const dir = path.join(bin, napi, process.platform, process.arch);
      return existsSync(dir) && readdirSync(dir).some((f) => file.test(f));
    });
  } catch {
    return false;
  }
}

// ---- This process's device: chosen once, resolved once, fallen back at most once. ----

let choice: DeviceChoice | undefined;
let plan: Promise<ProviderPlan> | undefined;
/** Set once a GPU provider failed: every later session runs on the CPU. */
let failure: string | undefined;
const noticeListeners = new Set<(line: string) => void>();

/**
 * Choose the device for this process's later sessions. Unset, the engine reads
 * GRAMOPHONE_DEVICE from the environment, else uses DEFAULT_DEVICE.
 */
export function setDevice(next: DeviceChoice): void {
  if (next !== choice) {
    choice = next;
    plan = undefined;
    failure = undefined;
  }
}

/** The device choice in force. @throws Error naming the variable when GRAMOPHONE_DEVICE holds something else. */
export function deviceChoice(): DeviceChoice {
  if (choice) return choice;
  const env = process.env[DEVICE_ENV];
  if (env === undefined || env === '') return DEFAULT_DEVICE;
  if (!isDeviceChoice(env)) throw new Error(`${DEVICE_ENV} must be one of ${DEVICES.join(', ')}, got "${env}"`);
  return env;
}

/** Hear the one-line notices (a GPU asked for but unavailable, a provider that failed). Returns an unsubscribe function. */
export function onDeviceNotice(listener: (line: string) => void): () => void {
  noticeListeners.add(listener);
  return () => noticeListeners.delete(listener);
}

function notice(line: string): void {
  if (noticeListeners.size === 0) process.stderr.write(`warning: ${line}\n`);
  for (const l of noticeListeners) l(line);
}

const firstLine = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0].slice(0, 200);

/** The providers this process uses, resolved on first call (a notice is given then if there is one). */
function providerPlan(ort: typeof Ort): Promise<ProviderPlan> {
  plan ??= Promise.resolve().then(() => {
    const p = chooseExecutionProviders(deviceChoice(), process.platform, loadableProviders(ort));
    if (p.note) notice(p.note);
    return p;
  });
  return plan;
}

function fallBack(device: string, what: string, e: unknown): void {
  if (failure) return;
  failure = `${device} failed`;
  plan = Promise.resolve({ providers: ['cpu'], device: 'cpu' });
  notice(`the ${device} execution provider failed to ${what} (${firstLine(e)}); running on the CPU from now on`);
}

/** What this process computes on, for backend lines: 'cpu', 'cuda', 'cpu (webgpu failed)'. */
export async function deviceLabel(ort: typeof Ort): Promise<string> {
  const p = await providerPlan(ort);
  return failure ? `cpu (${failure})` : p.device;
}

/** The part of an inference session the engine uses. */
export type DeviceSession = Pick<Ort.InferenceSession, 'run' | 'release'>;

/**
 * Open a session on this process's device. `create` builds it for a list of execution
 * providers. When the GPU provider fails to create the session, or to run it the first
 * time it is asked to, the session is rebuilt on the CPU and the run repeated.
 */
export async function openSessionOnDevice(ort: typeof Ort, create: (providers: string[]) => Promise<Ort.InferenceSession>): Promise<DeviceSession> {
  const p = await providerPlan(ort);
  if (p.device === 'cpu') return create(['cpu']);
  let current: Ort.InferenceSession;
  try {
    current = await create(p.providers);
  } catch (e) {
    fallBack(p.device, 'load', e);
    return create(['cpu']);
  }
  let onGpu = true;
  const run = async (...args: unknown[]) => {
    const call = () => (current.run as (...a: unknown[]) => Promise<Ort.InferenceSession.ReturnType>)(...args);
    if (!onGpu) return call();
    try {
      return await call();
    } catch (e) {
      onGpu = false;
      fallBack(p.device, 'run a graph', e);
      await current.release().catch(() => undefined);
      current = await create(['cpu']);
      return call();
    }
  };
  return { run: run as Ort.InferenceSession['run'], release: () => current.release() };
}
