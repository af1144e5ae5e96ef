/**
 * Batch jobs from manifests (CSV and JSON) and grids: values, defaults, output names, and
 * every bad row reported with its line before anything renders.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseCsv } from '../../../cli/batch/csv';
import { parseManifest, readManifest } from '../../../cli/batch/manifest';
import { gridJobs } from '../../../cli/batch/grid';
import { checkOutName, slug } from '../../../cli/batch/jobs';
import { canonicalJson, jobKey } from '../../../cli/batch/job-key';
import { parseCliArgs } from '../../../cli/cli-args';
import { builtinPreset } from '../../../common/preset';

const dir = mkdtempSync(path.join(tmpdir(), 'gramophone-jobs-'));
const defaults = { overrides: {} };
const QUICK = 'Quick preview';

describe('CSV', () => {
  it('reads quotes, escaped quotes, commas and newlines in quotes, CRLF, blank lines and a BOM, keeping each record’s line', () => {
    const text = '\ufeffa,b,c\r\n"x, y","say ""hi""",z\n\n"multi\nline",2,3\n';
    expect(parseCsv(text)).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['x, y', 'say "hi"', 'z'] },
      { line: 4, fields: ['multi\nline', '2', '3'] },
    ]);
  });

  it('names the line of a quote never closed', () => {
    expect(() => parseCsv('a,b\n1,2\n"open,3\n4,5\n')).toThrow(/line 3: a quoted field is never closed/);
  });
});

describe('manifest', () => {
  const presetFile = path.join(dir, 'loud.json');
  writeFileSync(presetFile, JSON.stringify({ ...builtinPreset(QUICK), name: 'Loud' }));

  it('makes one job per CSV row with presets, files, overrides and names', async () => {
    const csv = ['content,style,preset,preset_file,alpha,beta,gamma,delta,seed,out', 'a.wav,b.wav,Quick preview,,0.5,,,,7,first', 'sub/c.wav,/abs/d.wav,,loud.json,,3,,,,', 'a.wav,b.wav,,,,,,,,'].join(
      '\n',
    );
    const jobs = await parseManifest(csv, 'csv', dir, defaults, 'jobs.csv', QUICK);
    expect(jobs.map((j) => j.out)).toEqual(['first.wav', '002_c_x_d.wav', '003_a_x_b.wav']);
    expect(jobs[0].content).toBe(path.join(dir, 'a.wav'));
    expect(jobs[1].style).toBe('/abs/d.wav');
    expect(jobs[0].preset.weights.content).toBe(0.5);
    expect(jobs[0].preset.network.seed).toBe(7);
    expect(jobs[1].preset.name).toBe('Loud');
    expect(jobs[1].preset.weights.style).toBe(3);
    expect(jobs[2].preset).toEqual(builtinPreset(QUICK));
    expect(jobs[1].origin).toBe('jobs.csv line 3');
  });

  it('applies the command line’s values where a row is silent', async () => {
    const jobs = await parseManifest('content,style,beta\na.wav,b.wav,\nc.wav,d.wav,5\n', 'csv', dir, { overrides: { weights: { style: 2 }, iterations: 3 } }, 'm.csv', QUICK);
    expect(jobs.map((j) => j.preset.weights.style)).toEqual([2, 5]);
    expect(jobs.every((j) => j.preset.optimizer.iterations === 3)).toBe(true);
  });

  it('reports every bad CSV row with its line, and renders nothing', async () => {
    const csv = [
      'content,style,beta,seed,preset,out',
      'a.wav,b.wav,1,,,',
      ',b.wav,,,,',
      'a.wav,b.wav,loud,,,',
      'a.wav,b.wav,,1.5,,',
      'a.wav,b.wav,,,No Such,',
      'a.wav,b.wav,,,,../escape',
      'a.wav,b.wav,-1,,,',
    ].join('\n');
    const err = await parseManifest(csv, 'csv', dir, defaults, 'bad.csv', QUICK).catch((e: Error) => e);
    expect(err).toMatchObject({ code: 'INVALID_INPUT' });
    const msg = (err as Error).message;
    expect(msg).toMatch(/has 6 bad rows/);
    expect(msg).toMatch(/line 3: content is missing/);
    expect(msg).toMatch(/line 4: beta must be a number from 0 to 1000000, got "loud"/);
    expect(msg).toMatch(/line 5: seed must be a whole number/);
    expect(msg).toMatch(/line 6: No built-in preset "No Such"/);
    expect(msg).toMatch(/line 7: the output name "..\/escape" must be a file name/);
    expect(msg).toMatch(/line 8: beta must be/);
    expect(msg).not.toMatch(/line 2:/);
  });

  it('refuses unknown columns and a header without content and style', async () => {
    await expect(parseManifest('content,style,volume\na,b,3\n', 'csv', dir, defaults, 'x.csv', QUICK)).rejects.toThrow(/line 1: unknown column "volume"/);
    await expect(parseManifest('a.wav,b.wav\n', 'csv', dir, defaults, 'x.csv', QUICK)).rejects.toThrow(/first line must name the columns/);
  });

  it('reads JSON manifests (an array, or {jobs}) and reports bad jobs by line', async () => {
    const ok = await parseManifest(JSON.stringify({ jobs: [{ content: 'a.wav', style: 'b.wav', presetFile: 'loud.json', beta: 2, out: 'x.wav' }] }), 'json', dir, defaults, 'm.json', QUICK);
    expect(ok[0]).toMatchObject({ out: 'x.wav', preset: { name: 'Loud', weights: { style: 2 } } });
    const text = '[\n  { "content": "a.wav", "style": "b.wav" },\n  { "content": "a.wav",\n    "style": 3 },\n  "nonsense",\n  { "content": "a.wav", "style": "b.wav", "colour": "red" }\n]\n';
    const err = (await parseManifest(text, 'json', dir, defaults, 'm.json', QUICK).catch((e: Error) => e)) as Error;
    expect(err.message).toMatch(/line 3: style must be text, got 3/);
    expect(err.message).toMatch(/line 5: a job must be an object/);
    expect(err.message).toMatch(/line 6: unknown field "colour"/);
    expect(err.message).not.toMatch(/line 2/);
    await expect(parseManifest('{"jobs": 3}', 'json', dir, defaults, 'm.json', QUICK)).rejects.toThrow(/must be an array of jobs/);
    await expect(parseManifest('[{]', 'json', dir, defaults, 'm.json', QUICK)).rejects.toThrow(/not valid JSON/);
  });

  it('refuses two jobs writing one file, and an empty manifest', async () => {
    await expect(parseManifest('content,style,out\na,b,x\nc,d,X.wav\n', 'csv', dir, defaults, 'd.csv', QUICK)).rejects.toThrow(/same file: "X.wav" by d.csv line 2 and d.csv line 3/);
    await expect(parseManifest('content,style\n', 'csv', dir, defaults, 'e.csv', QUICK)).rejects.toThrow(/holds no jobs/);
  });

  it('reads a file as JSON or CSV and says when it is missing', async () => {
    const f = path.join(dir, 'jobs.txt');
    writeFileSync(f, '[{"content":"a.wav","style":"b.wav"}]');
    expect(await readManifest(f, defaults, QUICK)).toHaveLength(1);
    await expect(readManifest(path.join(dir, 'nope.csv'), defaults, QUICK)).rejects.toMatchObject({ code: 'IO_ERROR', message: expect.stringMatching(/nope\.csv.*no such file/) });
  });
});

describe('grid', () => {
  const c = path.join(dir, 'c');
  mkdirSync(c, { recursive: true });
  for (const f of ['b tune.flac', 'a tune.WAV', 'notes.txt', '.hidden.wav']) writeFileSync(path.join(c, f), 'x');

  it('takes every content × style × preset × swept value, named by what varies', async () => {
    const jobs = await gridJobs({
      contents: [c],
      styles: ['/s/bongos.wav'],
      presets: [QUICK, 'Verma timbre'],
      presetFiles: [],
      sweep: { weights: { style: [0.3, 1, 3] }, seed: [5] },
      overrides: { iterations: 4 },
      defaultPreset: QUICK,
    });
    expect(jobs).toHaveLength(2 * 1 * 2 * 3);
    expect(jobs[0]).toMatchObject({ index: 1, content: path.join(c, 'a tune.WAV'), style: '/s/bongos.wav', out: 'a-tune_x_bongos_Quick-preview_beta0.3.wav' });
    expect(jobs[5].out).toBe('a-tune_x_bongos_Verma-timbre_beta3.wav');
    expect(jobs[6].content).toBe(path.join(c, 'b tune.flac'));
    expect(jobs.map((j) => j.preset.weights.style)).toEqual([0.3, 1, 3, 0.3, 1, 3, 0.3, 1, 3, 0.3, 1, 3]);
    expect(jobs.every((j) => j.preset.network.seed === 5 && j.preset.optimizer.iterations === 4)).toBe(true);
  });

  it('refuses a folder without audio, clashing names and a grid without inputs', async () => {
    const empty = path.join(dir, 'empty');
    mkdirSync(empty, { recursive: true });
    const base = { presets: [], presetFiles: [], sweep: {}, overrides: {}, defaultPreset: QUICK };
    await expect(gridJobs({ ...base, contents: [empty], styles: ['/s.wav'] })).rejects.toThrow(/holds no audio files/);
    await expect(gridJobs({ ...base, contents: ['/x/a.wav', '/y/a.wav'], styles: ['/s.wav'] })).rejects.toThrow(/same file: "a_x_s.wav"/);
    await expect(gridJobs({ ...base, contents: [], styles: ['/s.wav'] })).rejects.toThrow(/needs --content and --style/);
  });
});

describe('names and keys', () => {
  it('makes safe names and checks given ones', () => {
    expect(slug('Bongos (take 2).wav')).toBe('Bongos-take-2');
    expect(slug('...')).toBe('untitled');
    expect(checkOutName('take')).toEqual({ out: 'take.wav' });
    expect(checkOutName('.hidden')).toHaveProperty('problem');
    expect(checkOutName('results.jsonl')).toEqual({ out: 'results.jsonl.wav' });
  });

  it('keys a take by its recipe, whatever the key order of the preset', () => {
    const preset = builtinPreset(QUICK)!;
    const recipe = {
      preset,
      content: { name: 'a.wav', sha256: 'a'.repeat(64) },
      style: { name: 'b.wav', sha256: 'b'.repeat(64) },
      format: { encoding: 'pcm24', sampleRate: 'engine', channels: 1 } as const,
    };
    const reordered = JSON.parse(canonicalJson(preset)) as typeof preset;
    expect(jobKey({ ...recipe, preset: reordered })).toBe(jobKey(recipe));
    expect(jobKey({ ...recipe, preset: { ...preset, weights: { ...preset.weights, style: 2 } } })).not.toBe(jobKey(recipe));
    expect(jobKey({ ...recipe, content: { ...recipe.content, sha256: 'c'.repeat(64) } })).not.toBe(jobKey(recipe));
    expect(jobKey({ ...recipe, format: { ...recipe.format, encoding: 'pcm16' } })).not.toBe(jobKey(recipe));
  });
});

describe('batch command line', () => {
  it('parses lists, several files (as a shell glob gives them), a queue and a device', () => {
    const o = parseCliArgs([
      'batch',
      '--content',
      'a.wav',
      'b.wav',
      '--style',
      'dir',
      '--beta',
      '0.3,1,3',
      '--preset',
      'Quick preview,Verma timbre',
      '--out',
      'o',
      '--queue',
      'redis://h:6379',
      '--device',
      'gpu',
    ]);
    expect(o).toMatchObject({ command: 'batch', contents: ['a.wav', 'b.wav'], styles: ['dir'], out: 'o', queue: 'redis://h:6379', device: 'gpu' });
    expect(o.sweep).toMatchObject({ weights: { style: [0.3, 1, 3] }, preset: [QUICK, 'Verma timbre'] });
  });

  it('refuses lists outside a batch and bad values', () => {
    expect(() => parseCliArgs(['render', '--beta', '1,2'])).toThrow(/--beta takes a list of values only in a batch/);
    expect(() => parseCliArgs(['render', '--content', 'a.wav', 'b.wav'])).toThrow(/--content takes a list of files only in a batch/);
    expect(() => parseCliArgs(['batch', '--beta', '1,x'])).toThrow(/--beta needs a number/);
    expect(() => parseCliArgs(['worker', '--queue', 'localhost:6379'])).toThrow(/--queue needs a Redis URL/);
    expect(() => parseCliArgs(['batch', '--device', 'tpu'])).toThrow(/--device must be one of auto, cpu, gpu/);
    expect(() => parseCliArgs(['batch', '--processes', '0'])).toThrow(/--processes needs an integer ≥ 1/);
  });
});
