/**
 * Connections to the queue's Redis. The first connection must succeed within a few seconds
 * (a wrong URL is an error in words, not a hang); after that an outage is waited out:
 * commands wait for Redis to come back, as BullMQ requires of its connections.
 */
import { Redis } from 'ioredis';
import { GramophoneError } from '../../common/errors';

/** How long the first connection may take, in ms. */
const CONNECT_TIMEOUT_MS = 8000;

/** BullMQ connection options for `url` (commands wait out an outage instead of failing). */
export const bullConnection = (url: string) => ({ url, maxRetriesPerRequest: null });

/** Redis URL without a password, for messages. */
export const safeUrl = (url: string) => url.replace(/\/\/[^@/]*@/, '//…@');

/**
 * A connected client.
 * @param onStatus told when the connection is lost and when it is back, in words
 * @throws GramophoneError IO_ERROR when Redis cannot be reached at first
 */
export async function connectRedis(url: string, onStatus?: (line: string) => void): Promise<Redis> {
  const redis = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: true, retryStrategy: (times) => Math.min(times * 200, 2000) });
  let lastError = '';
  let lost = false;
  let ready = false;
  redis.on('error', (e: Error) => {
    lastError = e.message;
    if (!lost && redis.status !== 'connecting' && ready) {
      lost = true;
      onStatus?.(`lost Redis at ${safeUrl(url)} (${e.message}); waiting for it to come back`);
    }
  });
  redis.on('ready', () => {
    if (lost) onStatus?.(`Redis at ${safeUrl(url)} is back`);
    lost = false;
    ready = true;
  });
  redis.on('close', () => {
    if (ready && !lost && redis.status !== 'end') {
      lost = true;
      onStatus?.(`lost Redis at ${safeUrl(url)}; waiting for it to come back`);
    }
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      redis.connect(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timed out')), CONNECT_TIMEOUT_MS);
      }),
    ]);
    await redis.ping();
  } catch (e) {
    redis.disconnect();
    throw new GramophoneError('IO_ERROR', `Cannot reach Redis at ${safeUrl(url)}: ${lastError || (e as Error).message}. Is redis-server running there?`);
  } finally {
    clearTimeout(timer);
  }
  return redis;
}
