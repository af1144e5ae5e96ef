import { describe, it, expect } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HeadlessDialogs, safeFileName, type Dialogs } from '../../main/dialogs';

describe('headless dialogs (web mode)', () => {
  it('saves under the suggested name in the export folder, never over an existing file', async () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gramophone-dlg-')), 'exports');
    const d: Dialogs = new HeadlessDialogs({ exportDir: dir });
    const first = await d.saveFile({ defaultName: '../../etc/Take 1.wav', title: 'Save', filters: [] });
    expect(path.dirname(first!)).toBe(dir);
    fs.writeFileSync(first!, 'x');
    const second = await d.saveFile({ defaultName: '../../etc/Take 1.wav', title: 'Save', filters: [] });
    expect(second).not.toBe(first);
    expect(path.dirname(second!)).toBe(dir);
    const a = await d.chooseFolder({ title: 'Folder' });
    const b = await d.chooseFolder({ title: 'Folder' });
    expect(a).not.toBe(b);
    expect(path.dirname(a!)).toBe(dir);
  });

  it('answers opens from its queue, else refuses in words', async () => {
    const d: Dialogs = new HeadlessDialogs({ exportDir: os.tmpdir(), openQueue: ['/x/a.wav'] });
    expect(await d.openFile({ title: 'Open', filters: [] })).toBe('/x/a.wav');
    await expect(d.openFile({ title: 'Open a WAV file', filters: [] })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/drag the file/) });
    expect(await d.confirm({ message: 'Replace?', confirmLabel: 'Replace' })).toBe(false);
  });

  it('keeps file names plain', () => {
    expect(safeFileName('a/b\\c:d*?.wav')).toBe('a_b_c_d__.wav');
    expect(safeFileName('...')).toBe('untitled');
    expect(safeFileName('x'.repeat(500)).length).toBe(200);
  });
});
