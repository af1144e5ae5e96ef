/**
 * Where the onnx backend computes: the vocabulary of `--device` (and of anything that later
 * offers the choice in the workstation). The mapping to onnxruntime's execution providers
 * lives in the engine (engine/device.ts).
 */

/** `auto`: a GPU where a stable provider loads, else the CPU; `cpu`: always the CPU; `gpu`: try every GPU provider, experimental ones included. */
export const DEVICES = ['auto', 'cpu', 'gpu'] as const;
export type DeviceChoice = (typeof DEVICES)[number];

/** What the engine uses when nobody chose. */
export const DEFAULT_DEVICE: DeviceChoice = 'auto';

/** Environment variable an engine process reads its device choice from (set by whoever starts it). */
export const DEVICE_ENV = 'GRAMOPHONE_DEVICE';

export const isDeviceChoice = (v: unknown): v is DeviceChoice => typeof v === 'string' && (DEVICES as readonly string[]).includes(v);
