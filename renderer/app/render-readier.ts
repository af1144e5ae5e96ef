/**
 * Readies the next render while the musician sets up: when the style lane's file or what of
 * the preset decides how a style is heard (its analysis, whether it plays a note template)
 * changes, and no render is running, main's engine transcribes the style and tracks its
 * notes now (`readyRender`), so a take's first sound comes a second or more sooner after
 * Render (about 1.1 CPU s for the demo's 6 s style, seconds for a long one).
 */
import type { GramophoneBridge } from '../../common/contract';
import { usesNoteTemplate, type Preset } from '../../common/preset';
import type { Store } from '../state/store';

/** Wait this long after the last change before readying (a preset's sliders are many changes), ms. */
const SETTLE_MS = 400;

/** What of a style and preset a render's readied style depends on; '' when nothing is to be readied. */
export function readyKey(styleId: string | null, preset: Preset): string {
  if (!styleId || !usesNoteTemplate(preset)) return '';
  return `${styleId}|${JSON.stringify(preset.analysis)}`;
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
    const key = readyKey(s.styleId, s.preset);
    // A running render is not slowed by readying the next one; it is readied when that ends.
    if (!key || key === readied || s.renders.some((j) => j.status === 'running')) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      const now = store.getState();
      if (readyKey(now.styleId, now.preset) !== key) return;
      readied = key;
      // A style that cannot be rendered is said by the render that needs it, in words.
      api.readyRender({ styleId: now.styleId!, preset: now.preset }).catch(() => {
        if (readied === key) readied = '';
      });
    }, SETTLE_MS);
  });
  return () => {
    off();
    if (timer) clearTimeout(timer);
  };
}
