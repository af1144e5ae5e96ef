/**
 * The RPC port over a forked Node child's IPC channel, for the processes that start engines
 * as Node children (the web server's launcher, the batch pool).
 */
import type { ChildProcess } from 'node:child_process';
import type { PortLike } from '../../common/rpc';

/**
 * A {@link PortLike} over `child`'s IPC channel (forked with `serialization: 'advanced'`, so
 * typed arrays cross as typed arrays). Posting after the channel closed throws, in words.
 */
export function childProcessPort(child: ChildProcess): PortLike {
  return {
    postMessage: (m) => {
      if (!child.connected) throw new Error('the engine process is not connected');
      child.send(m as object);
    },
    onMessage: (l) => {
      child.on('message', l);
      return () => child.off('message', l);
    },
  };
}
