/**
 * `npm run bench:quality`: does a take sound like the truth? Renders the corpus (cached),
 * runs every selected system on every selected pair, scores each take against the truth
 * rendition and the MIDI notes, prints one JSON line per system × pair, and keeps
 * quality-<corpus>.jsonl and quality-<corpus>.md in the results folder up to date after
 * every pair (so an interrupted run keeps what it measured).
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import path from 'node:path';
import { toErrorData } from '../../common/errors';
import { writeFileAtomic } from '../../engine/io/atomic-write';
import { QUALITY_USAGE, parseQualityArgs } from './args';
import { ensureRenderers, loadClip, CORPUS_AUDIO } from './corpus';
import { notesInSeconds } from './melodies';
import { formatRows, mergeRows, parseRows, tablesBySource, type ScoreRow } from './report';
import { scoreTake, truthReference } from './score';
import { spectrogramPng } from './spectrogram-png';
import { SETS, renderersOf } from './sets';
import { allSystems, presetsFromFiles, selectPairs, selectSystems, slug } from './systems';

const log = (line: string) => process.stderr.write(line + '\n');
const utf8 = (s: string) => new TextEncoder().encode(s);

async function main(argv: string[]): Promise<number> {
  const args = parseQualityArgs(argv);
  if (args.help) {
    process.stdout.write(QUALITY_USAGE + '\n');
    return 0;
  }
  const corpus = SETS[args.set][args.corpus];
  const pairs = selectPairs(corpus.pairs, args.pairs);
  const builtins = allSystems();
  const fromFiles = await presetsFromFiles(
    args.presetFiles,
    builtins.map((s) => s.name),
  );
  const all = allSystems(fromFiles);
  // Presets given as files are wanted even when --systems names others.
  const systems = selectSystems(all, args.systems && [...args.systems, ...fromFiles.map((s) => s.name)]);
  const order = all.map((s) => s.name);

  const tools = ensureRenderers(log, renderersOf(corpus));
  const cacheDir = path.join(args.out, 'corpus');
  const stem = args.set === 'single' ? `quality-${corpus.name}` : `quality-${args.set}-${corpus.name}`;
  const heading = `${args.set} ${corpus.name}`;
  const jsonlFile = path.join(args.out, `${stem}.jsonl`);
  const mdFile = path.join(args.out, `${stem}.md`);
  const tables = () => tablesBySource(heading, rows, order, args.set);
  const pngDir = path.join(args.out, 'png');
  await mkdir(args.out, { recursive: true });
  let rows: ScoreRow[] = existsSync(jsonlFile) ? parseRows(await readFile(jsonlFile, 'utf8')) : [];
  log(`bench:quality: ${heading}, ${pairs.length} pair(s) × ${systems.length} system(s) (${systems.map((s) => s.name).join(', ')})`);

  let failures = 0;
  for (const [i, pair] of pairs.entries()) {
    // The truth's notes as the style's source plays them: drop the truth's own renderer.
    const { renderer: _truthSource, ...onStyleSource } = pair.truth;
    const [content, style, truth, truthOnStyleSource] = await Promise.all([pair.content, pair.style, pair.truth, onStyleSource].map((c) => loadClip(c, cacheDir, tools.fluidsynth, tools.stk)));
    const audio = { pair, content, style, truth, truthOnStyleSource };
    const ref = truthReference(truth, notesInSeconds(pair.truth.melody));
    const pictures = args.png && i === 0;
    if (pictures) {
      await mkdir(pngDir, { recursive: true });
      for (const [label, x] of [
        ['content', content],
        ['style', style],
        ['truth', truth],
      ] as const) {
        await writeFileAtomic(path.join(pngDir, `${args.set}-${corpus.name}-${pair.name}--${label}.png`), spectrogramPng(x, CORPUS_AUDIO.sampleRate));
      }
    }
    for (const system of systems) {
      log(`bench:quality: ${pair.name} (${i + 1}/${pairs.length}) ← ${system.name}`);
      let take;
      try {
        take = await system.run(audio);
      } catch (e) {
        // One failing system (a broken candidate preset) must not cost the others' results.
        const error = toErrorData(e);
        failures++;
        log(`bench:quality: ${system.name} failed on ${pair.name}: ${error.message}`);
        process.stdout.write(JSON.stringify({ corpus: corpus.name, pair: pair.name, system: system.name, kind: system.kind, error }) + '\n');
        continue;
      }
      const row: ScoreRow = {
        corpus: corpus.name,
        pair: pair.name,
        system: system.name,
        kind: system.kind,
        source: pair.source ?? 'FluidR3',
        ...scoreTake(take.samples, ref),
        wallS: Math.round(take.wallS * 1000) / 1000,
        cpuS: Math.round(take.cpuS * 1000) / 1000,
        load: Math.round(loadavg()[0] * 100) / 100,
        ...(take.render ? { iterations: take.render.iterations, backend: take.render.backend } : {}),
        time: new Date().toISOString(),
      };
      process.stdout.write(JSON.stringify(row) + '\n');
      rows = mergeRows(rows, [row]);
      if (pictures && !['content', 'style', 'truth'].includes(system.name)) {
        await writeFileAtomic(path.join(pngDir, `${args.set}-${corpus.name}-${pair.name}--${slug(system.name)}.png`), spectrogramPng(take.samples, CORPUS_AUDIO.sampleRate));
      }
    }
    await writeFileAtomic(jsonlFile, utf8(formatRows(rows)));
    await writeFileAtomic(mdFile, utf8(tables()));
  }
  log(`\n${tables()}\nbench:quality: wrote ${jsonlFile} and ${mdFile}${args.png ? ` and pictures in ${pngDir}` : ''}`);
  if (failures) log(`bench:quality: ${failures} take(s) failed (see the "error" lines above)`);
  return failures ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    const err = toErrorData(e);
    process.stderr.write(`bench:quality: ${err.message}\n`);
    process.exit(err.code === 'INVALID_INPUT' ? 2 : 1);
  },
);
