/**
 * Readies the next render while the musician sets up: when the lanes' files, the region or
 * the preset change, settle, and no render is running, main's engine transcribes the style
 * and tracks its notes, and renders the take's first segment now (`readyRender`), so a take's
 * first sound comes soon after Render: the render takes that segment as it is when nothing
 * changed since, and renders it itself otherwise (docs/ARCHITECTURE.md, "The data route of a
 * render").
 */
import type { GramophoneBridge } from '../../common/contract';
import { usesNoteTemplate } from '../../common/preset';
import type { AppState } from '../state/app-state';
import type { Store } from '../state/store';

/** Wait this long after the last change before readying (a preset's sliders are many changes), ms. */
const SETTLE_MS = 400;

/**
 * What the next render's readied parts depend on: the lanes, the region and the preset; ''
 * when nothing is to be readied (no style, or a preset without a note template: the papers'
 * presets, whose first segment is too costly to render on speculation).
 */
export function readyKey(s: Pick<AppState, 'styleId' | 'contentId' | 'region' | 'preset'>): string {
  if (!s.styleId || !usesNoteTemplate(s.preset)) return '';
  return JSON.stringify([s.styleId, s.contentId, s.region, s.preset]);
}

/**
 * Ready renders from now on (see the file comment).
 * @returns a function that stops it
 */
export function readyRenders(api: GramophoneBridge, store: Store): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  /** The key readied last, or being readied. */
  let readied = '';
  const off = store.subscribe(() => {
    const s = store.getState();
    const key = readyKey(s);
    // A running render is not slowed by readying the next one; it is readied when that ends.
    if (!key || key === readied || s.renders.some((j) => j.status === 'running')) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      const now = store.getState();
      // Changed again, or Render was pressed meanwhile: that render needs the CPU now.
      if (readyKey(now) !== key || now.renders.some((j) => j.status === 'running')) return;
      readied = key;
      const { styleId, contentId, region, preset } = now;
      // Inputs that cannot be rendered are said by the render that needs them, in words.
      api.readyRender({ styleId: styleId!, preset, ...(contentId ? { contentId } : {}), ...(region ? { region } : {}) }).catch(() => {
        if (readied === key) readied = '';
      });
    }, SETTLE_MS);
  });
  return () => {
    off();
    if (timer) clearTimeout(timer);
  };
}
