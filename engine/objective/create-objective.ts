/**
 * Backend selection for the style objective: which implementations load on this machine,
 * which one `auto` picks (onnx where its native library loads, else tfjs), and the factory
 * the render job and the bench call.
 */
import type { BackendChoice } from '../../common/preset';
import type { BackendInfo } from '../../common/engine-api';
import { GramophoneError } from '../../common/errors';
import type { Objective, ObjectiveFactory, ObjectiveSetup } from './objective';
import { createOnnxObjective } from './onnx-objective';
import { probeOnnx } from './onnx/runtime';
import { createTfjsObjective, loadTf } from './tfjs-objective';

/** One objective implementation: how to tell whether it loads, and how to build it. */
export interface BackendDef {
  /** The name a preset's `backend` field uses ('onnx', 'tfjs'). */
  name: Exclude<BackendChoice, 'auto'>;
  /** Whether it loads here and a one-line description (version, device, threads) or the reason it does not. */
  probe(): Promise<{ available: boolean; detail: string }>;
  create: ObjectiveFactory;
}

/** What the engine offers: list, default, create. */
export interface BackendSelector {
  listBackends(): Promise<BackendInfo[]>;
  defaultBackendName(): Promise<string>;
  createObjective(setup: ObjectiveSetup, choice: BackendChoice): Promise<Objective>;
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

async function probeTfjs(): Promise<{ available: boolean; detail: string }> {
  try {
    return { available: true, detail: (await loadTf()).detail };
  } catch (e) {
    return { available: false, detail: errorText(e) };
  }
}

/**
 * A selector over `defs`, in order of preference: `auto` takes the first that loads.
 * Probes run once and are remembered, so asking again costs nothing.
 */
export function makeBackendSelector(defs: readonly BackendDef[]): BackendSelector {
  const probes = new Map<string, Promise<{ available: boolean; detail: string }>>();
  const probe = (d: BackendDef) => {
    let p = probes.get(d.name);
    if (!p) {
      p = d.probe().catch((e: unknown) => ({ available: false, detail: errorText(e) }));
      probes.set(d.name, p);
    }
    return p;
  };

  const listBackends = async (): Promise<BackendInfo[]> => Promise.all(defs.map(async (d) => ({ name: d.name, ...(await probe(d)) })));

  const pickAuto = async (): Promise<BackendDef> => {
    const reasons: string[] = [];
    for (const d of defs) {
      const p = await probe(d);
      if (p.available) return d;
      reasons.push(`${d.name}: ${p.detail}`);
    }
    throw new GramophoneError('INTERNAL', `No compute backend loads on this machine (${reasons.join('; ')})`);
  };

  return {
    listBackends,
    async defaultBackendName() {
      return (await pickAuto()).name;
    },
    async createObjective(setup, choice) {
      if (choice === 'auto') return (await pickAuto()).create(setup);
      const d = defs.find((b) => b.name === choice);
      if (!d) throw new GramophoneError('INVALID_INPUT', `Unknown compute backend "${choice}" (choose auto, onnx or tfjs)`);
      const p = await probe(d);
      if (!p.available) {
        throw new GramophoneError('INVALID_INPUT', `The ${d.name} backend does not load on this machine: ${p.detail}. Choose "auto" to use what is available.`);
      }
      return d.create(setup);
    },
  };
}

/** The engine's backends in order of preference: onnx (native, fast), then tfjs (the oracle). */
export const BACKEND_DEFS: readonly BackendDef[] = [
  { name: 'onnx', probe: probeOnnx, create: createOnnxObjective },
  { name: 'tfjs', probe: probeTfjs, create: createTfjsObjective },
];

const selector = makeBackendSelector(BACKEND_DEFS);

/** Every backend with whether it loads here, e.g. {name:'onnx', available:true, detail:'onnxruntime-node 1.30.0 cpu, 2 threads'}. */
export const listBackends = (): Promise<BackendInfo[]> => selector.listBackends();

/** What `auto` resolves to here ('onnx' or 'tfjs'). */
export const defaultBackendName = (): Promise<string> => selector.defaultBackendName();

/**
 * The objective for one optimisation on the chosen backend. `auto` takes onnx where it
 * loads, else tfjs; an explicit choice that cannot load is refused with INVALID_INPUT
 * saying why.
 */
export const createObjective = (setup: ObjectiveSetup, choice: BackendChoice): Promise<Objective> => selector.createObjective(setup, choice);
