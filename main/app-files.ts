/**
 * Serving the built renderer: the Electron `app://` protocol and the local web server both
 * map a request path onto a file under one root, and refuse anything that would escape it.
 */
import fs from 'node:fs/promises';
import path from 'node:path';

/** The Content-Security-Policy every renderer page is served with. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // React and the canvas views set inline style attributes; no inline scripts are allowed.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "font-src 'self'",
  // 'self' covers the local server's ws:// endpoint on the same host and port (CSP 3).
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.wav': 'audio/wav',
  '.txt': 'text/plain; charset=utf-8',
};

/** MIME type for a file name; unknown types are served as opaque bytes. */
export const contentType = (file: string) => TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';

/**
 * The file under `root` a URL path names, or null if the path is malformed or escapes the
 * root (`..`, encoded separators, NUL, absolute or drive paths). `/` is `index.html`.
 */
export function resolveAppFile(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split(/[?#]/)[0]);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const parts = decoded.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.some((p) => p === '..' || /^[a-zA-Z]:$/.test(p))) return null;
  const rel = parts.length ? parts.join('/') : 'index.html';
  const base = path.resolve(root);
  const full = path.resolve(base, rel);
  if (!isUnder(base, full)) return null;
  return full;
}

/** True if `file` is `root` or lies under it (both absolute and resolved). */
const isUnder = (root: string, file: string) => file === root || file.startsWith(root.endsWith(path.sep) ? root : root + path.sep);

/**
 * The regular file a URL path names under `root`, after following every symlink, with its
 * size; null if there is none or if a link leads out of the root (a link inside the build
 * pointing at the user's files must not serve them).
 */
export async function openAppFile(root: string, urlPath: string): Promise<{ file: string; size: number } | null> {
  const file = resolveAppFile(root, urlPath);
  if (!file) return null;
  try {
    const [realRoot, real] = await Promise.all([fs.realpath(root), fs.realpath(file)]);
    if (!isUnder(realRoot, real)) return null;
    const st = await fs.stat(real);
    return st.isFile() ? { file: real, size: st.size } : null;
  } catch {
    return null;
  }
}

/** Where the built files sit relative to a bundle in dist/main (also inside app.asar). */
export const distPaths = (mainDir: string) => ({
  rendererDir: path.resolve(mainDir, '../renderer'),
  engineEntry: path.resolve(mainDir, '../engine/engine-process.js'),
  demoDir: path.resolve(mainDir, '../../assets/demo'),
});
