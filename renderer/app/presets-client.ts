/**
 * The UI's side of the presets API (`common/api/presets.ts`): load one onto the controls,
 * save, rename, delete (with undo), import and export. The rules (names, clashes, built-ins)
 * are main's; this only asks and shows the answer.
 */
import type { Preset } from '../../common/preset';
import type { GramophoneBridge } from '../../common/contract';
import type { Store } from '../state/store';
import * as A from '../state/actions';
import { presetModified } from '../state/preset-edit';
import { messageOf } from './errors';
import type { Questions } from './questions';
import { importRejectedSentence } from '../view/preset-words';

type ImportResult = { user: Preset[]; imported: string[]; rejected: { name: string; reason: string }[] };

export class PresetsClient {
  constructor(
    private readonly api: GramophoneBridge,
    private readonly store: Store,
    private readonly questions: Questions,
  ) {}

  private get state() {
    return this.store.getState();
  }

  /** Run `f`; on failure say `what` failed and why, and resolve undefined. */
  private async guard<T>(what: string, f: () => Promise<T>): Promise<T | undefined> {
    try {
      return await f();
    } catch (e) {
      this.store.dispatch(A.pushNotice, { kind: 'error', text: `${what}: ${messageOf(e)}` });
      return undefined;
    }
  }

  async refresh(): Promise<void> {
    const r = await this.guard('Could not read presets', () => this.api.listPresets({}));
    if (r) this.store.dispatch(A.setPresetLists, r);
  }

  /**
   * Put a preset on the controls (a user preset wins over a built-in of the same name),
   * after asking when the controls hold unsaved changes. Undoable. Resolves false when the
   * person kept their changes.
   */
  async load(name: string): Promise<boolean> {
    const b = this.state.builtinPresets.find((p) => p.name === name);
    const u = this.state.userPresets.find((p) => p.name === name);
    const preset = u ?? b;
    if (!preset) return false;
    if (this.isModified() && preset.name !== this.state.loaded.name) {
      const go = await this.questions.ask({
        message: `Discard your changes to "${this.state.loaded.name}"?`,
        detail: `Loading "${preset.name}" replaces the settings you changed and have not saved. Ctrl+Z brings them back.`,
        confirmLabel: 'Load',
      });
      if (!go) return false;
    }
    this.store.dispatch(A.choosePreset, { preset, builtin: !u && !!b, at: Date.now() });
    return true;
  }

  isModified(): boolean {
    return presetModified(this.state.preset, this.state.loaded.preset);
  }

  /** Save the controls over the loaded user preset. Built-ins cannot be overwritten. */
  async save(): Promise<boolean> {
    if (this.state.loaded.builtin) return false;
    return this.saveAs(this.state.loaded.name, true);
  }

  async saveAs(name: string, overwrite = false): Promise<boolean> {
    const trimmed = name.trim();
    if (!trimmed) return false;
    const { source: _source, ...rest } = this.state.preset;
    const preset: Preset = { ...rest, name: trimmed };
    const r = await this.guard(`Could not save "${trimmed}"`, () => this.api.savePreset({ preset, overwrite }));
    if (!r) return false;
    this.store.dispatch(A.presetSaved, { user: r.user, name: trimmed });
    this.store.dispatch(A.pushNotice, { kind: 'info', text: `Saved preset "${trimmed}".` });
    return true;
  }

  async rename(from: string, to: string): Promise<boolean> {
    const r = await this.guard(`Could not rename "${from}"`, () => this.api.renamePreset({ from, to: to.trim() }));
    if (!r) return false;
    this.store.dispatch(A.presetRenamed, { user: r.user, from, to: to.trim() });
    return true;
  }

  /** Delete a user preset, offering Undo (which saves it back). */
  async delete(name: string): Promise<boolean> {
    const r = await this.guard(`Could not delete "${name}"`, () => this.api.deletePreset({ name }));
    if (!r) return false;
    this.store.dispatch(A.setPresetLists, { user: r.user });
    this.store.dispatch(A.pushNotice, { kind: 'info', text: `Deleted preset "${name}".`, undo: { label: 'Undo', preset: r.deleted } });
    return true;
  }

  async undoDelete(noticeId: number, preset: Preset): Promise<void> {
    this.store.dispatch(A.dismissNotice, noticeId);
    const r = await this.guard(`Could not restore "${preset.name}"`, () => this.api.savePreset({ preset }));
    if (r) this.store.dispatch(A.setPresetLists, { user: r.user });
  }

  private imported(r: ImportResult, fileName: string): ImportResult {
    this.store.dispatch(A.setPresetLists, { user: r.user });
    const text = [r.imported.length ? `Imported ${r.imported.join(', ')}.` : '', importRejectedSentence(fileName, r.rejected)].filter(Boolean).join(' ');
    this.store.dispatch(A.pushNotice, { kind: r.rejected.length ? 'error' : 'info', text: text || `"${fileName}" holds no presets.` });
    return r;
  }

  /** Import a presets file picked or dropped in the page; main applies its import rules. */
  async importFile(file: { name: string; arrayBuffer(): Promise<ArrayBuffer> }): Promise<ImportResult | undefined> {
    const name = file.name.slice(0, 255) || 'presets.json';
    const r = await this.guard(`Could not import "${name}"`, async () => this.api.importPresets({ name, bytes: new Uint8Array(await file.arrayBuffer()) }));
    return r && this.imported(r, name);
  }

  /** The shell's import dialog (Electron); false in web mode, so the caller offers a file picker. */
  async openDialog(): Promise<boolean> {
    if (this.state.shell === 'web') return false;
    const r = await this.guard('Could not import presets', () => this.api.openPresets({}));
    if (r) this.imported(r, 'the file');
    return true;
  }

  async export(names: string[]): Promise<string | null> {
    const r = await this.guard('Could not export presets', () => this.api.exportPresets({ names }));
    if (r) this.store.dispatch(A.pushNotice, { kind: 'info', text: `Presets written to ${r.path}` });
    return r?.path ?? null;
  }
}
