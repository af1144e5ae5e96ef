/** The layer registry: one line per layer kind of `LAYER_KINDS` (common/preset.ts). */
import type { Layer } from '../../../common/preset';
import { activation } from './activation';
import { conv1d } from './conv1d';
import { conv2d } from './conv2d';
import type { LayerModule } from './layer';
import { pool } from './pool';

const LAYERS: { [K in Layer['kind']]: LayerModule<Extract<Layer, { kind: K }>> } = { conv1d, conv2d, activation, pool };

/** The module that implements a layer. */
export const layerModule = <L extends Layer>(layer: L): LayerModule<L> => LAYERS[layer.kind] as unknown as LayerModule<L>;

export type { LayerModule, ParamSpec } from './layer';
