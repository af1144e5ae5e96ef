/**
 * Files in Redis by content hash: an input used by fifty jobs is stored once, a take is
 * stored once however often it is collected, and a reader checks the hash of what it got.
 * Every put refreshes the key's expiry (KEEP_SECONDS).
 */
import type { Redis } from 'ioredis';
import { GramophoneError } from '../../common/errors';
import { sha256Hex } from './job-key';
import { KEEP_SECONDS, MAX_BLOB_BYTES, blobKey } from './queue-protocol';

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

/** Refuse a file too large for the queue. @throws GramophoneError INVALID_INPUT naming it and the limit */
export function checkBlobSize(name: string, size: number): void {
  if (size > MAX_BLOB_BYTES) {
    throw new GramophoneError('INVALID_INPUT', `"${name}" is ${mb(size)}; the queue carries files up to ${mb(MAX_BLOB_BYTES)} (render it on a local pool instead)`);
  }
}

export class BlobStore {
  constructor(private readonly redis: Redis) {}

  /**
   * Store `bytes` unless a file with the same hash is there already.
   * @param sha256 the bytes' hash when the caller has it
   * @returns the hash
   */
  async put(bytes: Uint8Array, name: string, sha256 = sha256Hex(bytes)): Promise<string> {
    checkBlobSize(name, bytes.byteLength);
    const key = blobKey(sha256);
    // EXPIRE answers 0 when the key is missing: only then do the bytes travel.
    if ((await this.redis.expire(key, KEEP_SECONDS)) === 0) {
      await this.redis.set(key, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 'EX', KEEP_SECONDS);
    }
    return sha256;
  }

  /** Whether a file is stored (and not expired). */
  async has(sha256: string): Promise<boolean> {
    return (await this.redis.exists(blobKey(sha256))) === 1;
  }

  /**
   * The stored file with this hash.
   * @throws GramophoneError IO_ERROR when it is missing (expired, or Redis lost its data) or its bytes do not match the hash
   */
  async get(sha256: string, name: string): Promise<Uint8Array> {
    const buf = await this.redis.getBuffer(blobKey(sha256));
    if (!buf) throw new GramophoneError('IO_ERROR', `"${name}" (${sha256.slice(0, 12)}…) is no longer in the queue's store`);
    const bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    if (sha256Hex(bytes) !== sha256) throw new GramophoneError('IO_ERROR', `"${name}" came out of the queue's store damaged (hash mismatch)`);
    return bytes;
  }
}
