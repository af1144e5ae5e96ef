/**
 * `--device`: the pure mapping from platform and loadable providers to onnxruntime execution
 * providers, and the real fallback: on this machine (no GPU) WebGPU is bundled but finds no
 * adapter, so `gpu` must fall back to the CPU with one line and give the CPU's exact numbers.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { chooseExecutionProviders, deviceChoice, deviceLabel, loadableProviders, onDeviceNotice, setDevice } from '../../engine/device';
import { createOnnxObjective } from '../../engine/objective/onnx-objective';
import { loadOrt } from '../../engine/objective/onnx/runtime';
import { DEVICE_ENV } from '../../common/device';
import { TINY, smallSetup } from './objective/tfjs-fixtures';

describe('chooseExecutionProviders', () => {
  it('cpu is always the CPU alone', () => {
    expect(chooseExecutionProviders('cpu', 'linux', ['cpu', 'cuda'])).toEqual({ providers: ['cpu'], device: 'cpu' });
  });

  it('auto takes the platform’s stable GPU provider where it loads, else the CPU without a word', () => {
    expect(chooseExecutionProviders('auto', 'darwin', ['cpu', 'coreml', 'webgpu'])).toEqual({ providers: ['coreml', 'cpu'], device: 'coreml' });
    expect(chooseExecutionProviders('auto', 'win32', ['cpu', 'dml', 'webgpu'])).toEqual({ providers: ['dml', 'cpu'], device: 'dml' });
    expect(chooseExecutionProviders('auto', 'linux', ['cpu', 'webgpu', 'cuda'])).toEqual({ providers: ['cuda', 'cpu'], device: 'cuda' });
    // Experimental WebGPU is never picked by auto; a provider of another platform is never picked.
    expect(chooseExecutionProviders('auto', 'linux', ['cpu', 'webgpu'])).toEqual({ providers: ['cpu'], device: 'cpu' });
    expect(chooseExecutionProviders('auto', 'linux', ['cpu', 'dml', 'coreml'])).toEqual({ providers: ['cpu'], device: 'cpu' });
  });

  it('gpu also tries experimental providers, and says why when there is none', () => {
    expect(chooseExecutionProviders('gpu', 'linux', ['cpu', 'webgpu'])).toEqual({ providers: ['webgpu', 'cpu'], device: 'webgpu' });
    expect(chooseExecutionProviders('gpu', 'linux', ['cpu', 'webgpu', 'cuda']).device).toBe('cuda');
    const none = chooseExecutionProviders('gpu', 'linux', ['cpu']);
    expect(none.providers).toEqual(['cpu']);
    expect(none.note).toMatch(/no GPU execution provider is available on linux \(looked for: cuda, webgpu\); running on the CPU/);
    expect(chooseExecutionProviders('gpu', 'freebsd', ['cpu']).note).toMatch(/none is known for this platform/);
  });
});

describe('device of this process', () => {
  afterEach(() => {
    setDevice('cpu');
    delete process.env[DEVICE_ENV];
  });

  it('reads GRAMOPHONE_DEVICE and refuses a bad value by name', () => {
    process.env[DEVICE_ENV] = 'gpu';
    expect(deviceChoice()).toBe('gpu');
    process.env[DEVICE_ENV] = 'tpu';
    expect(() => deviceChoice()).toThrow(/GRAMOPHONE_DEVICE must be one of auto, cpu, gpu, got "tpu"/);
  });

  it('lists the bundled providers and not CUDA without its libraries', async () => {
    const ort = await loadOrt();
    const list = loadableProviders(ort);
    expect(list).toContain('cpu');
    // npm's install script for the CUDA libraries is skipped in this project (.npmrc).
    expect(list).not.toContain('cuda');
  });

  it('gpu without a usable GPU falls back to the CPU with one line and the same numbers', async () => {
    const ort = await loadOrt();
    const setup = smallSetup(TINY, { content: 1, style: 1, energy: 1, timbre: 1 });
    const x = Float32Array.from({ length: TINY.frames * TINY.bins }, (_, i) => Math.abs(Math.sin(i * 0.05)));
    setDevice('cpu');
    const cpu = await createOnnxObjective(setup);
    const expected = await cpu.evaluate(x);
    const expectedGradient = Float32Array.from(expected.gradient);
    cpu.dispose();

    setDevice('gpu');
    const lines: string[] = [];
    const off = onDeviceNotice((l) => lines.push(l));
    const gpuAsked = await createOnnxObjective(setup);
    const got = await gpuAsked.evaluate(x);
    off();
    gpuAsked.dispose();
    const loadable = loadableProviders(ort);
    if (loadable.includes('webgpu')) {
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^the webgpu execution provider failed to (load|run a graph) \(.+\); running on the CPU from now on$/);
      expect(gpuAsked.backend).toMatch(/cpu \(webgpu failed\)/);
      expect(await deviceLabel(ort)).toBe('cpu (webgpu failed)');
    } else {
      expect(lines).toEqual([expect.stringMatching(/no GPU execution provider is available/)]);
    }
    expect(got.loss).toBe(expected.loss);
    expect(Buffer.from(got.gradient.buffer, got.gradient.byteOffset, got.gradient.byteLength).equals(Buffer.from(expectedGradient.buffer))).toBe(true);
  }, 60_000);
});
