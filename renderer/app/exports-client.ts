/** The UI's side of the exports API (`common/api/exports.ts`): the selected takes as stems. */
import type { GramophoneBridge } from '../../common/contract';
import type { Store } from '../state/store';
import * as A from '../state/actions';
import { messageOf } from './errors';
import { dryGain, takeWet } from '../state/mix';

export class ExportsClient {
  constructor(
    private readonly api: GramophoneBridge,
    private readonly store: Store,
  ) {}

  /** "Export notes as MIDI": the content, style and takes' notes, one track per lane; the written path, or null. */
  async exportNotes(): Promise<string | null> {
    const s = this.store.getState();
    const ids = [s.contentId, s.styleId, ...s.takeIds].filter((id): id is string => !!id).slice(0, 15);
    if (!ids.length) {
      this.store.dispatch(A.pushNotice, { kind: 'error', text: 'Open a content or style file first: there are no notes to export yet.' });
      return null;
    }
    try {
      const r = await this.api.exportNotes({ trackIds: ids });
      if (r) this.store.dispatch(A.exported, [r.path]);
      return r?.path ?? null;
    } catch (e) {
      this.store.dispatch(A.pushNotice, { kind: 'error', text: `Exporting the notes failed: ${messageOf(e)}` });
      return null;
    }
  }

  /** Export `ids`, or else the ticked takes (or the auditioned, or the newest); the written paths, or null. */
  async exportTakes(only?: string[]): Promise<string[] | null> {
    const s = this.store.getState();
    const ids = only ?? A.exportSelection(s);
    if (!ids.length) {
      this.store.dispatch(A.pushNotice, { kind: 'error', text: 'Render a take first: there is nothing to export yet.' });
      return null;
    }
    // As heard: takes whose dry/wet is below 100 % are written blended with their content.
    const blends = s.exportBlended
      ? ids.flatMap((id) => {
          const { wet, blendable } = takeWet(s, id);
          return blendable && wet < 1 ? [{ trackId: id, wet, dryGain: dryGain(s, id) }] : [];
        })
      : [];
    try {
      const r = await this.api.exportTakes({ trackIds: ids, format: s.exportFormat, blends });
      this.store.dispatch(A.exported, r?.paths ?? null);
      if (r) this.store.dispatch(A.takesExported, ids);
      return r?.paths ?? null;
    } catch (e) {
      this.store.dispatch(A.pushNotice, { kind: 'error', text: `Export failed: ${messageOf(e)}` });
      return null;
    }
  }
}
