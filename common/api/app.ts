/** The renderer API's application part: what shell and engine the UI runs on, and the menu. */
import { z } from 'zod';
import type { MethodSpec } from '../rpc';
import { BackendInfoSchema } from '../engine-api';

/** The shells the same UI runs in: the Electron app, or a browser through the local server. */
export const SHELL_KINDS = ['electron', 'web'] as const;
export type ShellKind = (typeof SHELL_KINDS)[number];

/** Commands the application menu sends to the renderer (File › Open content…, Render, …). */
export const MENU_COMMANDS = [
  'open-content',
  'open-style',
  'load-demo',
  'new-session',
  'open-session',
  'save-session',
  'save-session-as',
  'render',
  'cancel-render',
  'export-takes',
  'import-presets',
  'export-presets',
  'play-stop',
  'undo',
  'redo',
  'shortcuts',
] as const;
export type MenuCommand = (typeof MENU_COMMANDS)[number];

export const EngineStatusSchema = z.strictObject({
  state: z.enum(['starting', 'ready', 'busy', 'crashed', 'restarting', 'failed']),
  backend: z.string().optional(),
  message: z.string().optional(),
});
export type EngineStatus = z.infer<typeof EngineStatusSchema>;

export const appMethods = {
  getAppInfo: {
    args: z.strictObject({}),
    result: z.strictObject({
      version: z.string(),
      shell: z.enum(SHELL_KINDS),
      engine: EngineStatusSchema,
      backends: z.array(BackendInfoSchema),
      /** How many renders main runs at once (engine processes in its pool, one per core). */
      renderSlots: z.number().int().min(1).max(64).optional(),
    }),
  },
} satisfies Record<string, MethodSpec>;

export const appEvents = {
  engineStatus: EngineStatusSchema,
  /** A menu item or accelerator the window's menu handled (Electron only). */
  menuCommand: z.strictObject({ command: z.enum(MENU_COMMANDS) }),
};
