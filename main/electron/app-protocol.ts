/**
 * The `app://gramophone/` protocol that serves the built renderer: no `file://` (whose
 * origin would be shared with every local file), no path escaping the renderer folder,
 * and the app's CSP on every response.
 */
import { protocol } from 'electron';
import fs from 'node:fs/promises';
import { APP_HOST, APP_SCHEME } from '../security';
import { CONTENT_SECURITY_POLICY, contentType, openAppFile } from '../app-files';

/** Must run before `app` is ready. */
export function registerAppScheme() {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } }]);
}

/** Serve `rendererDir` on the app scheme. Call once the app is ready. */
export function serveRenderer(rendererDir: string) {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const found = url.host === APP_HOST ? await openAppFile(rendererDir, url.pathname) : null;
    if (!found) return new Response('Not found', { status: 404 });
    const { file } = found;
    try {
      const body = await fs.readFile(file);
      return new Response(body, {
        headers: { 'Content-Type': contentType(file), 'Content-Security-Policy': CONTENT_SECURITY_POLICY, 'X-Content-Type-Options': 'nosniff' },
      });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  });
}
