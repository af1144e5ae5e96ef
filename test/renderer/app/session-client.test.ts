import { afterEach, describe, expect, it } from 'vitest';
import type { GramophoneBridge } from '../../../common/contract';
import { SessionClient } from '../../../renderer/app/session-client';
import type { Questions } from '../../../renderer/app/questions';
import type { TracksClient } from '../../../renderer/app/tracks-client';
import * as A from '../../../renderer/state/actions';
import { initialState } from '../../../renderer/state/app-state';
import { createStore } from '../../../renderer/state/store';

type Listener = () => void;
const page = globalThis as { addEventListener?: (t: string, f: Listener) => void; removeEventListener?: (t: string, f: Listener) => void };

describe('session client', () => {
  const listeners = new Map<string, Listener>();
  afterEach(() => {
    delete page.addEventListener;
    delete page.removeEventListener;
    listeners.clear();
  });

  it('sends a change at once, holds the next within the gap, and sends it when the page goes away', async () => {
    page.addEventListener = (t, f) => listeners.set(t, f);
    page.removeEventListener = (t) => listeners.delete(t);
    const sent: unknown[] = [];
    const api = { saveSessionUi: async (a: { ui: unknown }) => void sent.push(a.ui) } as unknown as GramophoneBridge;
    const store = createStore(initialState());
    const client = new SessionClient(api, store, {} as TracksClient, {} as Questions);
    client.start();
    await Promise.resolve();
    expect(sent).toHaveLength(1);
    store.dispatch(A.setView, { dbMin: -70 });
    await Promise.resolve();
    // Within the 300 ms gap: held back for now.
    expect(sent).toHaveLength(1);
    listeners.get('pagehide')!();
    await Promise.resolve();
    expect(sent).toHaveLength(2);
    expect(JSON.stringify(sent[1])).toContain('-70');
    client.dispose();
    expect(listeners.has('pagehide')).toBe(false);
  });

  it('asking about unexported takes names controls the page has, not a File menu the browser lacks', async () => {
    const asked: { detail?: string }[] = [];
    const questions = { ask: async (q: { detail?: string }) => (asked.push(q), false) } as unknown as Questions;
    const state = initialState();
    const store = createStore({ ...state, takeIds: ['t1'], tracks: { t1: { take: { exported: false } } as never } });
    const client = new SessionClient({} as GramophoneBridge, store, {} as TracksClient, questions);
    await client.newSession();
    expect(asked).toHaveLength(1);
    expect(asked[0].detail).not.toMatch(/File ›|File >/);
    expect(asked[0].detail).toMatch(/Save in the Session panel, or Ctrl\+S/);
  });
});
