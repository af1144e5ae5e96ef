/**
 * What the UI needs from its shell: the contract's renderer API plus event subscription.
 * Structurally the same as the shell's `GramophoneBridge` (renderer/api), declared here so
 * UI code and its fakes type against the contract alone.
 */
import type { RendererApi, RendererSpec } from '../../common/contract';
import type { EventData, EventName } from '../../common/rpc';

export type UiEvent = EventName<RendererSpec>;

export type UiBridge = RendererApi & {
  /** Subscribe to a contract event; returns an unsubscribe function. */
  on<E extends UiEvent>(event: E, listener: (data: EventData<RendererSpec, E>) => void): () => void;
};
