/**
 * Files the engine reads itself, by the path main names (an upload it keeps): sized with a
 * stat before anything is read, refused in words when missing, a folder or too large.
 */
import { describe, it, expect } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { audioFileBytes } from '../../../engine/io/audio-file';
import { createEngineHandlers } from '../../../engine/engine-handlers';
import { MAX_AUDIO_BYTES } from '../../../common/engine-api';
import { wav16 } from '../../main/helpers/shell-fixture';
import { errorOf } from '../../helpers/error-of';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gramophone-audio-file-'));

describe('audioFileBytes', () => {
  it('reads a path, or passes bytes through', async () => {
    const wav = wav16(new Float32Array(100).fill(0.5));
    const file = path.join(dir, 'kept.upload');
    fs.writeFileSync(file, wav);
    expect(Buffer.from(await audioFileBytes({ name: 'take.wav', path: file }, 'content')).equals(Buffer.from(wav))).toBe(true);
    expect(await audioFileBytes({ name: 'take.wav', bytes: wav }, 'content')).toBe(wav);
  });

  it('refuses a missing file, a folder and one over the limit, naming it', async () => {
    expect(await errorOf(audioFileBytes({ name: 'gone.wav', path: path.join(dir, 'gone.upload') }, 'style'))).toEqual({
      code: 'IO_ERROR',
      message: expect.stringMatching(/style file .*gone\.upload.*no such file/),
    });
    expect((await errorOf(audioFileBytes({ name: 'dir.wav', path: dir }, 'style'))).message).toMatch(/is a folder/);
    const huge = path.join(dir, 'huge.upload');
    fs.closeSync(fs.openSync(huge, 'w'));
    fs.truncateSync(huge, MAX_AUDIO_BYTES + 1); // sparse: nothing is written
    expect(await errorOf(audioFileBytes({ name: 'set.wav', path: huge }, 'content'))).toEqual({
      code: 'INVALID_INPUT',
      // One byte over: told in bytes, never as "1.0 GB, over the 1.0 GB limit".
      message: expect.stringMatching(/"set\.wav": it is 1073741825 bytes, over the 1\.0 GB limit/),
    });
  });

  it('the engine decodes a file by path, under the name main gave it', async () => {
    const file = path.join(dir, 'x.upload');
    fs.writeFileSync(file, wav16(new Float32Array(400).fill(0.25)));
    const { info } = await createEngineHandlers(() => undefined).decode({ name: 'My take.wav', path: file }, { signal: new AbortController().signal });
    expect(info).toMatchObject({ name: 'My take.wav', frames: 400 });
  });
});
