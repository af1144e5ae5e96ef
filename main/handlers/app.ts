/** Handlers for the renderer API's application part (`common/api/app.ts`). */
import type { MethodHandlers, ResultOf } from '../../common/rpc';
import type { EngineApi } from '../../common/engine-api';
import type { ShellKind } from '../../common/contract';
import type { appMethods } from '../../common/api/app';
import type { EngineCalls } from '../engine-host';
import { APP_VERSION } from '../app-version';

/** How long getAppInfo waits for a starting engine to list its backends, in ms. */
const BACKENDS_WAIT_MS = 10_000;

export function appHandlers(deps: { shell: ShellKind; engine: EngineCalls; renderSlots?: number }): MethodHandlers<typeof appMethods> {
  let backends: ResultOf<EngineApi, 'info'>['backends'] | null = null;
  return {
    async getAppInfo() {
      if (!backends) {
        backends = await Promise.race([deps.engine.call('info', {}).then((i) => i.backends), new Promise<null>((r) => setTimeout(() => r(null), BACKENDS_WAIT_MS))]).catch(() => null);
      }
      return { version: APP_VERSION, shell: deps.shell, engine: deps.engine.status, backends: backends ?? [], ...(deps.renderSlots ? { renderSlots: deps.renderSlots } : {}) };
    },
  };
}
