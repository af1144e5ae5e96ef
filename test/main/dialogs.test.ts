import { describe, it, expect } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HeadlessDialogs, askSaveTarget, safeFileName, type Dialogs } from '../../main/dialogs';
import { WAV_STEM } from '../../common/file-types';
import { nodeFileAccess } from '../../main/file-access';

describe('headless dialogs (web mode)', () => {
  it('saves under the suggested name in the export folder, never over an existing file', async () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gramophone-dlg-')), 'exports');
    const d: Dialogs = new HeadlessDialogs(dir);
    const first = await d.saveFile({ defaultName: '../../etc/Take 1.wav', title: 'Save', type: WAV_STEM });
    expect(path.dirname(first!)).toBe(dir);
    fs.writeFileSync(first!, 'x');
    const second = await d.saveFile({ defaultName: '../../etc/Take 1.wav', title: 'Save', type: WAV_STEM });
    expect(second).not.toBe(first);
    expect(path.dirname(second!)).toBe(dir);
    const a = await d.chooseFolder({ title: 'Folder' });
    const b = await d.chooseFolder({ title: 'Folder' });
    expect(a).not.toBe(b);
    expect(path.dirname(a!)).toBe(dir);
  });

  it('refuses opens in words (the page has its own file picker)', async () => {
    const d: Dialogs = new HeadlessDialogs(os.tmpdir());
    await expect(d.openFile({ title: 'Open a WAV file', type: WAV_STEM })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/drag the file/) });
    expect(await d.confirm({ message: 'Replace?', confirmLabel: 'Replace' })).toBe(false);
  });

  it('askSaveTarget adds the extension and asks before replacing what the dialog did not', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gramophone-dlg-'));
    fs.writeFileSync(path.join(dir, 'take.wav'), 'x');
    const answers = [false, true];
    const asked: string[] = [];
    const d: Dialogs = {
      saveAsksBeforeOverwrite: true,
      openFile: async () => null,
      chooseFolder: async () => null,
      saveFile: async () => path.join(dir, 'take'),
      confirm: async (o) => (asked.push(o.message), answers.shift()!),
    };
    const o = { title: 'Export', defaultName: 'take.wav', type: WAV_STEM };
    expect(await askSaveTarget(d, nodeFileAccess(), o)).toBeNull();
    expect(asked[0]).toMatch(/"take\.wav" already exists/);
    expect(await askSaveTarget(d, nodeFileAccess(), o)).toBe(path.join(dir, 'take.wav'));
    // A name the dialog itself confirmed is not asked about again.
    expect(await askSaveTarget({ ...d, saveFile: async () => path.join(dir, 'take.wav') }, nodeFileAccess(), o)).toBe(path.join(dir, 'take.wav'));
    expect(asked).toHaveLength(2);
  });

  it('keeps file names plain', () => {
    expect(safeFileName('a/b\\c:d*?.wav')).toBe('a_b_c_d__.wav');
    expect(safeFileName('...')).toBe('untitled');
    expect(safeFileName('x'.repeat(500)).length).toBe(200);
  });
});
