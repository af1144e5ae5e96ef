/** The workstation window: transport on top, lanes and the render dock left, controls right. */
import { useEffect } from 'react';
import { useAppState, useController } from '../app/context';
import type { Controller } from '../app/controller';
import { TransportBar } from './transport-bar';
import { Lanes } from './lanes';
import { PresetsPanel } from './presets-panel';
import { WeightSliders } from './weight-sliders';
import { AdvancedSettings } from './advanced-settings';
import { RenderPanel } from './render-panel';
import { ComparePanel } from './compare-panel';
import { ExportPanel } from './export-panel';
import { Notices } from './notices';
import { SessionPanel } from './session-panel';
import { QuestionDialog } from './question-dialog';
import { HelpOverlay } from './help-overlay';
import { countRender } from '../view/render-count';
import * as A from '../state/actions';

const typing = (t: EventTarget | null) => {
  const el = t as HTMLElement | null;
  if (!el || !el.tagName) return false;
  if (el.isContentEditable) return true;
  if (el.tagName === 'TEXTAREA' || el.tagName === 'SELECT') return true;
  if (el.tagName === 'INPUT') {
    const type = (el as HTMLInputElement).type;
    return !['range', 'checkbox', 'button', 'radio', 'file'].includes(type);
  }
  return false;
};

/** Text fields keep their own undo; everywhere else Ctrl+Z is the workstation's. */
function undoKey(c: Controller, redo: boolean) {
  if (typing(document.activeElement)) document.execCommand(redo ? 'redo' : 'undo');
  else if (redo) c.redo();
  else c.undo();
}

/** The shortcuts of `view/shortcuts.ts` (the sheet lists the same). */
function useShortcuts(c: Controller) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // A question or a sheet on screen has the keyboard.
      if (c.state.question || c.state.overlay) return;
      const mod = e.ctrlKey || e.metaKey;
      if (mod && e.key === 'Enter') {
        e.preventDefault();
        void c.renders.requestRender();
        return;
      }
      if (mod && !e.altKey && (e.key === 'z' || e.key === 'Z' || e.key === 'y')) {
        if (typing(e.target)) return;
        e.preventDefault();
        undoKey(c, e.key === 'y' || e.shiftKey);
        return;
      }
      if (mod && (e.key === 's' || e.key === 'S')) {
        e.preventDefault();
        void c.session.save(e.shiftKey);
        return;
      }
      if (e.key === '?' && !typing(e.target)) {
        c.store.dispatch(A.setOverlay, 'shortcuts');
        return;
      }
      if (typing(e.target) || e.altKey || e.ctrlKey || e.metaKey) return;
      if (e.key === ' ') {
        e.preventDefault();
        void c.transport.togglePlay();
      } else if (/^[1-9]$/.test(e.key)) {
        c.transport.audition(Number(e.key) - 1);
      } else if (e.key === 'Escape') {
        c.transport.stop();
      } else if (e.key === 'l' || e.key === 'L') {
        c.transport.toggleLoop();
      } else if (e.key === 'v' || e.key === 'V') {
        c.live.toggle();
      } else if ((e.key === 'k' || e.key === 'K') && c.state.live.on) {
        void c.live.keep();
      } else if (e.key === 'Home') {
        c.playback.seek(0);
      } else if (c.state.compareGridId && (e.key === 'ArrowRight' || e.key === 'ArrowLeft')) {
        // The compare view: one key steps to the next or previous take of the grid.
        e.preventDefault();
        c.store.dispatch(A.compareStep, e.key === 'ArrowRight' ? 1 : -1);
      } else if (c.state.compareGridId && (e.key === 'f' || e.key === 'F') && c.state.transport.source) {
        c.store.dispatch(A.toggleMark, c.state.transport.source);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [c]);

  useEffect(
    () =>
      c.api.on('menuCommand', ({ command }) => {
        if (command === 'render') void c.renders.requestRender();
        else if (command === 'play-stop') void c.transport.togglePlay();
        else if (command === 'load-demo') void c.tracks.loadDemo();
        else if (command === 'open-content') void c.tracks.openAudio('content');
        else if (command === 'open-style') void c.tracks.openAudio('style');
        else if (command === 'export-takes') void c.exports.exportTakes();
        else if (command === 'import-presets') void c.presets.openDialog();
        else if (command === 'export-presets') void c.presets.export([c.state.loaded.name]);
        else if (command === 'cancel-render') c.renders.cancelRunning();
        else if (command === 'new-session') void c.session.newSession();
        else if (command === 'open-session') void c.session.open();
        else if (command === 'save-session') void c.session.save(false);
        else if (command === 'save-session-as') void c.session.save(true);
        else if (command === 'undo') undoKey(c, false);
        else if (command === 'redo') undoKey(c, true);
        else if (command === 'shortcuts') c.store.dispatch(A.setOverlay, 'shortcuts');
      }),
    [c],
  );
}

export function App() {
  countRender('App');
  const c = useController();
  const compare = useAppState((s) => s.compareGridId);
  useShortcuts(c);
  return (
    <div className="app">
      <TransportBar />
      <div className="main">
        <section className="workspace" aria-label="Lanes">
          <Lanes />
          <div className="dock">
            {compare ? <ComparePanel gridId={compare} /> : <RenderPanel />}
            <ExportPanel />
          </div>
        </section>
        <aside className="sidebar" aria-label="Settings">
          <SessionPanel />
          <PresetsPanel />
          <WeightSliders />
          <AdvancedSettings />
        </aside>
      </div>
      <Notices />
      <QuestionDialog />
      <HelpOverlay />
    </div>
  );
}
