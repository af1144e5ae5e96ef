/**
 * The objective in the Advanced section: the front end (what the spectrogram is), the
 * feature network (an editable stack of layers, or a stack from the papers), and what each
 * loss term compares. Every field carries a tooltip in words (renderer/view/objective-words.ts);
 * bounds come from the preset schema's LIMITS.
 */
import type { ReactNode } from 'react';
import {
  ACTIVATIONS,
  ENERGY_TARGETS,
  FRONT_ENDS,
  LAYER_KINDS,
  LIMITS,
  NETWORK_WEIGHTS,
  PADDINGS,
  POOL_MODES,
  RESTS,
  TRAINED_NETWORKS,
  type Layer,
  type NetworkWeights,
  type Preset,
} from '../../common/preset';
import type { PresetPath } from '../state/preset-edit';
import { ACTIVATION_NAMES, FIELD_HINTS, FRONT_END_WORDS, LAYER_NAMES, LAYER_STACKS, NEW_LAYER, frontEndOf, layerName } from '../view/objective-words';
import { NumberField } from './number-field';
import { OptionList } from './option-list';

type Set = (path: PresetPath, value: unknown) => void;
type Limit = keyof typeof LIMITS;

function Field({ label, hint, children, wide }: { label: string; hint?: string; children: ReactNode; wide?: boolean }) {
  return (
    <label className={`field${wide ? ' wide' : ''}`} title={hint}>
      <span>{label}</span>
      {children}
    </label>
  );
}

function Num({
  label,
  path,
  value,
  limit,
  set,
  hint,
  integer = true,
  min,
  max,
}: {
  label: string;
  path: PresetPath;
  value: number;
  limit?: Limit;
  set: Set;
  hint?: string;
  integer?: boolean;
  min?: number;
  max?: number;
}) {
  const [lo, hi] = limit ? LIMITS[limit] : [min ?? -Infinity, max ?? Infinity];
  return (
    <Field label={label} hint={hint ?? FIELD_HINTS[path]}>
      <NumberField label={label} value={value} min={lo} max={hi} integer={integer} onCommit={(v) => set(path, v)} />
    </Field>
  );
}

function Pick<T extends string>({
  label,
  path,
  value,
  options,
  names,
  set,
  hint,
}: {
  label: string;
  path: PresetPath;
  value: T;
  options: readonly T[];
  names?: Partial<Record<T, string>>;
  set: Set;
  hint?: string;
}) {
  return (
    <Field label={label} hint={hint ?? FIELD_HINTS[path]}>
      <select aria-label={label} value={value} onChange={(e) => set(path, e.target.value)}>
        <OptionList values={options} show={(o) => names?.[o] ?? o} />
      </select>
    </Field>
  );
}

export function FrontEndSettings({ p, set }: { p: Preset; set: Set }) {
  const fe = p.frontEnd;
  return (
    <>
      <h3>Front end</h3>
      <Field label="Spectrogram" hint={FRONT_END_WORDS[fe.kind].hint} wide>
        <select aria-label="Front end" value={fe.kind} onChange={(e) => set('frontEnd', frontEndOf(e.target.value as Preset['frontEnd']['kind'], p))}>
          {FRONT_ENDS.map((k) => (
            <option key={k} value={k} title={FRONT_END_WORDS[k].hint}>
              {FRONT_END_WORDS[k].label}
            </option>
          ))}
        </select>
      </Field>
      {fe.kind === 'mel' || fe.kind === 'mfcc' ? (
        <>
          <Num label="Bands" path="frontEnd.bands" value={fe.bands} limit="bands" set={set} />
          {fe.kind === 'mfcc' ? <Num label="Coefficients" path="frontEnd.coefficients" value={fe.coefficients} limit="bands" set={set} /> : null}
          <Num label="Lowest (Hz)" path="frontEnd.fMin" value={fe.fMin} min={0} max={48000} integer={false} set={set} />
          <Num label="Highest (Hz, 0 = top)" path="frontEnd.fMax" value={fe.fMax} min={0} max={48000} integer={false} set={set} />
        </>
      ) : null}
      {fe.kind === 'logfreq' ? (
        <>
          <Num label="Bins per octave" path="frontEnd.binsPerOctave" value={fe.binsPerOctave} limit="binsPerOctave" set={set} />
          <Num label="Lowest bin (Hz)" path="frontEnd.fMin" value={fe.fMin} min={10} max={4000} integer={false} set={set} />
        </>
      ) : null}
    </>
  );
}

function LayerFields({ layer, i, set }: { layer: Layer; i: number; set: Set }) {
  const at = (f: string) => `network.layers.${i}.${f}`;
  const hint = (f: string) => FIELD_HINTS[`layer.${layer.kind}.${f}`];
  switch (layer.kind) {
    case 'conv1d':
      return (
        <>
          <Num label="Filters" path={at('filters')} value={layer.filters} limit="filters" set={set} hint={hint('filters')} />
          <Num label="Width (frames)" path={at('kernel')} value={layer.kernel} limit="kernel" set={set} hint={hint('kernel')} />
        </>
      );
    case 'conv2d':
      return (
        <>
          <Num label="Channels" path={at('channels')} value={layer.channels} limit="channels" set={set} hint={hint('channels')} />
          <Num label="Frames" path={at('kernelTime')} value={layer.kernelTime} limit="kernel2d" set={set} hint={hint('kernelTime')} />
          <Num label="Bins" path={at('kernelFreq')} value={layer.kernelFreq} limit="kernel2d" set={set} hint={hint('kernelFreq')} />
          <Pick label="Padding" path={at('padding')} value={layer.padding} options={PADDINGS} set={set} hint={hint('padding')} />
        </>
      );
    case 'activation':
      return <Pick label="Function" path={at('fn')} value={layer.fn} options={ACTIVATIONS} names={ACTIVATION_NAMES} set={set} hint={hint('fn')} />;
    case 'pool':
      return (
        <>
          <Pick label="Mode" path={at('mode')} value={layer.mode} options={POOL_MODES} names={{ max: 'max', avg: 'average' }} set={set} hint={hint('mode')} />
          <Num label="Frames" path={at('time')} value={layer.time} limit="pool" set={set} hint={hint('time')} />
          <Num label="Bins" path={at('freq')} value={layer.freq} limit="pool" set={set} hint={hint('freq')} />
        </>
      );
  }
}

export function NetworkSettings({ p, set }: { p: Preset; set: Set }) {
  const layers = p.network.layers;
  const setLayers = (next: Layer[]) => set('network.layers', next);
  const move = (i: number, by: number) => {
    const next = [...layers];
    [next[i], next[i + by]] = [next[i + by], next[i]];
    setLayers(next);
  };
  return (
    <>
      <h3>Feature network</h3>
      <Field label="Start from" hint="Replace the layers with a stack from the papers" wide>
        <select
          aria-label="Layer stack"
          value=""
          onChange={(e) => {
            const stack = LAYER_STACKS[Number(e.target.value)];
            if (stack) setLayers(stack.layers);
          }}
        >
          <option value="">a stack from the papers…</option>
          {LAYER_STACKS.map((s, i) => (
            <option key={s.label} value={i} title={s.hint}>
              {s.label}
            </option>
          ))}
        </select>
      </Field>
      <ol className="layers wide" aria-label="Layers">
        {layers.map((layer, i) => (
          <li key={i} className="layer">
            <span className="layer-head">
              <span className="layer-index mono">{i + 1}</span>
              <select aria-label={`Layer ${i + 1} kind`} value={layer.kind} onChange={(e) => set(`network.layers.${i}`, NEW_LAYER[e.target.value as Layer['kind']])}>
                {LAYER_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {LAYER_NAMES[k]}
                  </option>
                ))}
              </select>
              <button className="small ghost" aria-label={`Move layer ${i + 1} up`} title="Move up" disabled={i === 0} onClick={() => move(i, -1)}>
                ↑
              </button>
              <button className="small ghost" aria-label={`Move layer ${i + 1} down`} title="Move down" disabled={i === layers.length - 1} onClick={() => move(i, 1)}>
                ↓
              </button>
              <button
                className="small ghost"
                aria-label={`Remove layer ${i + 1}`}
                title="Remove"
                disabled={layers.length <= LIMITS.layers[0]}
                onClick={() => setLayers(layers.filter((_l, j) => j !== i))}
              >
                ✕
              </button>
            </span>
            <span className="layer-fields">
              <LayerFields layer={layer} i={i} set={set} />
            </span>
          </li>
        ))}
      </ol>
      <Field label="Add a layer" hint="Append a layer at the end of the stack" wide>
        <select aria-label="Add a layer" value="" disabled={layers.length >= LIMITS.layers[1]} onChange={(e) => e.target.value && setLayers([...layers, NEW_LAYER[e.target.value as Layer['kind']]])}>
          <option value="">choose a kind…</option>
          {LAYER_KINDS.map((k) => (
            <option key={k} value={k}>
              {LAYER_NAMES[k]}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Weights" hint={p.network.weights === 'random' ? FIELD_HINTS['network.weights'] : TRAINED_NETWORKS[p.network.weights].hint}>
        <select
          aria-label="Network weights"
          value={p.network.weights}
          onChange={(e) => {
            const w = e.target.value as NetworkWeights;
            // A trained network brings the stack it was trained as: its weights fit no other.
            set('network', w === 'random' ? { ...p.network, weights: w } : { ...p.network, weights: w, layers: [...TRAINED_NETWORKS[w].layers] });
          }}
        >
          {NETWORK_WEIGHTS.map((w) => (
            <option key={w} value={w} title={w === 'random' ? undefined : TRAINED_NETWORKS[w].hint}>
              {w === 'random' ? 'random (seed)' : TRAINED_NETWORKS[w].label}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Seed" hint={FIELD_HINTS['network.seed']}>
        <span className="inline">
          <NumberField label="Seed" value={p.network.seed} min={0} max={0xffffffff} integer onCommit={(v) => set('network.seed', v)} />
          <button className="small" aria-label="Re-roll seed" title="New random seed" onClick={() => set('network.seed', Math.floor(Math.random() * 0xffffffff))}>
            ⟳
          </button>
        </span>
      </Field>
    </>
  );
}

/** Checkboxes for the layers a term reads; none ticked = the last layer. */
function LayerPicker({ label, path, chosen, layers, set }: { label: string; path: PresetPath; chosen: number[] | undefined; layers: readonly Layer[]; set: Set }) {
  const last = layers.length;
  const on = chosen ?? [last];
  const toggle = (i: number) => {
    const next = on.includes(i) ? on.filter((j) => j !== i) : [...on, i].sort((a, b) => a - b);
    set(path, next.length ? next : undefined);
  };
  return (
    <fieldset className="layer-picker wide" title={FIELD_HINTS[path]}>
      <legend>{label}</legend>
      {Array.from({ length: last + 1 }, (_v, i) => (
        <label key={i} className="pick">
          <input type="checkbox" aria-label={`${label}: ${layerName(layers, i)}`} checked={on.includes(i)} onChange={() => toggle(i)} />
          {layerName(layers, i)}
        </label>
      ))}
    </fieldset>
  );
}

export function StatisticsSettings({ p, set }: { p: Preset; set: Set }) {
  const s = p.statistics;
  const w = p.weights;
  const layers = p.network.layers;
  return (
    <>
      <h3>What the terms compare</h3>
      {w.content > 0 ? <LayerPicker label="Content compares" path="statistics.content.layers" chosen={s.content.layers} layers={layers} set={set} /> : null}
      {w.style > 0 ? (
        // A new choice of layers drops per-layer weights (they were one per old layer).
        <LayerPicker label="Style textures from" path="statistics.style.layers" chosen={s.style.layers} layers={layers} set={(_path, v) => set('statistics.style', v ? { layers: v } : {})} />
      ) : null}
      {w.energy > 0 ? (
        <Pick
          label="Loudness curve from"
          path="statistics.energy.target"
          value={s.energy.target}
          options={ENERGY_TARGETS}
          names={{ style: 'the style (stretched)', content: 'the content (keeps rhythm)' }}
          set={set}
        />
      ) : null}
      {w.texture > 0 ? (
        <>
          <Num label="Texture bands" path="statistics.texture.bands" value={s.texture.bands} min={4} max={64} set={set} />
          <Num label="Modulation bands" path="statistics.texture.modulationBands" value={s.texture.modulationBands} min={1} max={12} set={set} />
          <Num label="Compression" path="statistics.texture.compression" value={s.texture.compression} min={0.01} max={1} integer={false} set={set} />
        </>
      ) : null}
      {w.envelope > 0 ? <Num label="Envelope detail" path="statistics.envelope.coefficients" value={s.envelope.coefficients} min={2} max={200} set={set} /> : null}
      <Pick label="Rests" path="rests" value={p.rests} options={RESTS} names={{ silent: 'kept silent', free: 'may be filled' }} set={set} />
    </>
  );
}
