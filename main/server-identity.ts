/**
 * The web server's port and access token, kept in its data folder so a restart serves the
 * same URL and an open tab reconnects to it. The file is private to its owner (0600): the
 * token is what keeps other local users' pages out.
 */
import crypto from 'node:crypto';
import { chmodSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The file in the data folder that holds them. */
export const IDENTITY_FILE = 'web-server.json';

/** What a server is reached by. */
export interface ServerIdentity {
  /** TCP port to listen on; 0 picks a free one. */
  port: number;
  /** The URL's access token (base64url). */
  token: string;
}

/** A new random token: 24 bytes, base64url. */
export const newToken = (): string => crypto.randomBytes(24).toString('base64url');

/** The saved identity, or null when there is none or it is unreadable or malformed. */
function readSaved(dataDir: string): ServerIdentity | null {
  try {
    const saved = JSON.parse(readFileSync(path.join(dataDir, IDENTITY_FILE), 'utf8')) as Partial<ServerIdentity>;
    const portOk = Number.isInteger(saved.port) && saved.port! > 0 && saved.port! <= 65535;
    const tokenOk = typeof saved.token === 'string' && /^[\w-]{16,128}$/.test(saved.token);
    return portOk && tokenOk ? { port: saved.port!, token: saved.token! } : null;
  } catch {
    return null;
  }
}

/**
 * The port and token to start with: the ones saved for this data folder, unless `port` is
 * given (a number, 0 for any free port) or `freshToken` asks for a new token.
 */
export function chooseIdentity(dataDir: string, opts: { port?: number; freshToken?: boolean }): ServerIdentity {
  const saved = readSaved(dataDir);
  return { port: opts.port ?? saved?.port ?? 0, token: (!opts.freshToken && saved?.token) || newToken() };
}

/** Keep `identity` for the next start (written whole, then renamed; readable by its owner only). */
export function saveIdentity(dataDir: string, identity: ServerIdentity): void {
  const file = path.join(dataDir, IDENTITY_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(identity) + '\n', { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}
