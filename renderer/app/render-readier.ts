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

export class RenderReadier {
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** The key readied last, or being readied. */
  private readied = '';
  private readonly off: () => void;

  constructor(
    private readonly api: GramophoneBridge,
    private readonly store: Store,
  ) {
    this.off = store.subscribe(() => this.onState());
  }

  dispose(): void {
    this.off();
    if (this.timer) clearTimeout(this.timer);
  }

  private onState(): void {
    const s = this.store.getState();
    const key = readyKey(s.styleId, s.preset);
    // A running render is not slowed by readying the next one; it is readied when that ends.
    if (!key || key === this.readied || s.renders.some((j) => j.status === 'running')) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      const now = this.store.getState();
      if (readyKey(now.styleId, now.preset) !== key) return;
      this.readied = key;
      // A style that cannot be rendered is said by the render that needs it, in words.
      this.api.readyRender({ styleId: now.styleId!, preset: now.preset }).catch(() => {
        if (this.readied === key) this.readied = '';
      });
    }, SETTLE_MS);
  }
}
