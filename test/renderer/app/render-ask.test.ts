/** A render estimated over five minutes asks first, with the estimate; a short one starts at once. */
import { describe, expect, it } from 'vitest';
import type { GramophoneBridge } from '../../../common/contract';
import { builtinPreset } from '../../../common/preset';
import { RendersClient } from '../../../renderer/app/renders-client';
import type { Questions } from '../../../renderer/app/questions';
import type { TracksClient } from '../../../renderer/app/tracks-client';
import { initialState, type Question } from '../../../renderer/state/app-state';
import { createStore } from '../../../renderer/state/store';

function setup(seconds: number, answer: boolean, preset = 'Ulyanov texture') {
  const asked: Question[] = [];
  const questions = { ask: async (q: Question) => (asked.push(q), answer) } as unknown as Questions;
  const content = { id: 'c', kind: 'content', info: { name: 'c.wav', duration: seconds, sampleRate: 22050, channels: 1 } };
  const style = { id: 's', kind: 'style', info: { name: 's.wav', duration: 6, sampleRate: 22050, channels: 1 } };
  const store = createStore({ ...initialState(), preset: builtinPreset(preset)!, contentId: 'c', styleId: 's', tracks: { c: content, s: style } as never });
  // A render that never answers: only whether it was queued matters here.
  const api = { render: () => new Promise(() => undefined) } as unknown as GramophoneBridge;
  return { asked, store, client: new RendersClient(api, store, {} as TracksClient, questions) };
}

describe('asking before a long render', () => {
  it('three minutes of "Ulyanov texture": asks with the estimate, and a no queues nothing', async () => {
    const { asked, store, client } = setup(180, false);
    expect(await client.requestRender()).toBeNull();
    expect(asked).toHaveLength(1);
    expect(asked[0].message).toMatch(/^This render will take about \d+ (min|h \d+ min)\. Start it\?$/);
    expect(store.getState().renders).toHaveLength(0);
  });

  it('a yes queues it', async () => {
    const { store, client } = setup(180, true);
    expect(await client.requestRender()).toMatch(/^job-/);
    expect(store.getState().renders).toHaveLength(1);
  });

  it('ten seconds of the default preset start without a question', async () => {
    const { asked, client } = setup(10, false, 'Timbre transfer');
    expect(await client.requestRender()).toMatch(/^job-/);
    expect(asked).toHaveLength(0);
  });
});
