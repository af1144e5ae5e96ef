/**
 * `npx tsx bench/decoders.ts [SECONDS]`: how fast decodeAudio reads each format, as seconds
 * of audio decoded per second of wall time, whole (all channels at the file's rate) and
 * streamed to mono at 22.05 kHz (what a render does). One JSON line per format and mode.
 * The files are made from one 44.1 kHz stereo reference by sox and ffmpeg, as in the tests.
 */
import { decodeAudio } from '../engine/audio/decode';
import { ENCODINGS, makeEncodedFiles, type EncodingName } from '../test/fixtures/audio/encoded';

const seconds = Number(process.argv[2] ?? 60);
const REPEATS = 3;
const files = makeEncodedFiles(44100, seconds);
const formats: EncodingName[] = ['aiff-16', 'flac-16', 'flac-24', 'mp3', 'vorbis', 'opus'];
for (const name of formats) {
  const bytes = files.read(name);
  for (const monoAt of [undefined, 22050]) {
    const times: number[] = [];
    let format = '';
    for (let r = 0; r < REPEATS; r++) {
      const t0 = performance.now();
      format = (await decodeAudio(bytes, ENCODINGS[name].file, { monoAt })).format;
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(REPEATS / 2)];
    const line = {
      workload: `decode-${name}${monoAt ? '-mono22k' : ''}`,
      format,
      audio_seconds: seconds,
      file_mb: +(bytes.length / 2 ** 20).toFixed(2),
      median_ms: +median.toFixed(1),
      min_ms: +times[0].toFixed(1),
      max_ms: +times[REPEATS - 1].toFixed(1),
      realtime_factor: +((seconds * 1000) / median).toFixed(0),
    };
    process.stdout.write(JSON.stringify(line) + '\n');
  }
}
