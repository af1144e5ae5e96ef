/**
 * What the UI needs from its shell: the contract's `GramophoneBridge` (the renderer API
 * plus event subscription). Re-exported under the UI's names so fakes type against it.
 */
import type { GramophoneBridge, RendererEvent } from '../../common/contract';

export type UiEvent = RendererEvent;
export type UiBridge = GramophoneBridge;
