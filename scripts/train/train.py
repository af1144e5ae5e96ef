"""Train Gramophone's instrument network (Verma & Smith's manner) and write it for the engine.

    /usr/bin/python3 scripts/train/train.py [--seed 1] [--epochs 4] [--out assets/networks]

(`bash scripts/train/train-network.sh` checks the tools and runs exactly this.) Build-time
only: the app reads the written weights and never needs Python.

The network is the "Verma & Smith" built-in's stack — six 3×3 conv layers (16, 16, 32, 32,
64, 64 channels, same zero padding, no bias, ReLU), 2×2 max pooling after the 2nd and 4th —
with a small classifier head (mean and max of each channel over all time-frequency
positions → 128 → 16 families), trained with Adam on cross-entropy to tell the 16 General MIDI families apart
from 0.32 s of log-magnitude spectrogram (notes.py says how the data is made). The conv
layers have no bias because the engine's conv2d has none: the stack the engine runs is then
exactly the stack trained here.

Writes, into --out:
  instrument-cnn-v1.json             the conv weights in the engine's format (see assets/networks/README.md)
  instrument-cnn-v1.provenance.json  how they were made: script, seed, soundfont and its Debian
                                     version, data recipe, class list, training curve, validation
                                     accuracy per family, chance level
and test/fixtures/networks/instrument-cnn-v1.forward.json: a small input spectrogram and
PyTorch's activations of the last layer on it, which the engine's forward pass must equal.
"""
import argparse
import base64
import hashlib
import json
import os
import subprocess
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import notes  # noqa: E402

NAME = 'instrument-cnn-v1'
CHANNELS = [16, 16, 32, 32, 64, 64]
POOL_AFTER = (1, 3)  # 0-based conv indices followed by 2×2 max pooling
CROP = 32  # frames per example (0.32 s)
MAX_OFFSET = notes.NOTE_FRAMES - CROP  # training crops start anywhere in the kept note
GAIN_DB = (-20.0, 0.0)  # training levels, relative to the note's peak at full scale
VALIDATION_GAIN_DB = -6.0
BATCH = 64
LEARNING_RATE = 1e-3
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def preset_layers():
    """The stack as the engine's preset describes it (common/preset.ts's Layer list)."""
    layers = []
    for i, c in enumerate(CHANNELS):
        layers.append({'kind': 'conv2d', 'channels': c, 'kernelTime': 3, 'kernelFreq': 3, 'padding': 'same'})
        layers.append({'kind': 'activation', 'fn': 'relu'})
        if i in POOL_AFTER:
            layers.append({'kind': 'pool', 'mode': 'max', 'time': 2, 'freq': 2})
    return layers


class InstrumentNet(nn.Module):
    def __init__(self, classes):
        super().__init__()
        convs, c = [], 1
        for o in CHANNELS:
            conv = nn.Conv2d(c, o, 3, padding=1, bias=False)
            nn.init.kaiming_normal_(conv.weight, nonlinearity='relu')
            convs.append(conv)
            c = o
        self.convs = nn.ModuleList(convs)
        self.head = nn.Sequential(nn.Linear(2 * c, 128), nn.ReLU(), nn.Dropout(0.3), nn.Linear(128, classes))

    def features(self, x):
        """x: batch × 1 × frames × bins → the last ReLU's output (batch × 64 × frames/4 × 64)."""
        for i, conv in enumerate(self.convs):
            x = F.relu(conv(x))
            if i in POOL_AFTER:
                x = F.max_pool2d(x, 2)
        return x

    def forward(self, x):
        # Pooled over every time-frequency position, as the style loss's Gram matrices pool:
        # the conv features themselves must tell the families apart, wherever the notes lie.
        a = self.features(x).flatten(2)
        return self.head(torch.cat([a.mean(dim=2), a.amax(dim=2)], dim=1))


def batch_input(mags, offsets, gains_db):
    """log(1 + g·M) of the crops, batch × 1 × CROP × bins, channels-last for the CPU kernels."""
    crops = np.stack([m[o:o + CROP] for m, o in zip(mags, offsets)])
    g = (10.0 ** (np.asarray(gains_db) / 20.0)).astype(np.float32)[:, None, None]
    x = torch.from_numpy(np.log1p(crops * g)).unsqueeze(1)
    return x.contiguous(memory_format=torch.channels_last)


def evaluate(model, mags, labels, classes):
    """Loss, accuracy and per-class accuracy on the fixed validation crops (onset, -6 dB)."""
    model.eval()
    correct = np.zeros(classes)
    total = np.zeros(classes)
    loss = 0.0
    with torch.no_grad():
        for s in range(0, len(mags), 256):
            x = batch_input(mags[s:s + 256], [0] * len(mags[s:s + 256]), [VALIDATION_GAIN_DB] * len(mags[s:s + 256]))
            y = torch.from_numpy(labels[s:s + 256])
            logits = model(x)
            loss += F.cross_entropy(logits, y, reduction='sum').item()
            hit = (logits.argmax(1) == y).numpy()
            np.add.at(correct, labels[s:s + 256], hit)
            np.add.at(total, labels[s:s + 256], 1)
    return loss / len(mags), correct.sum() / total.sum(), correct / np.maximum(total, 1)


def b64(a):
    return base64.b64encode(np.ascontiguousarray(a, dtype='<f4').tobytes()).decode('ascii')


def debian_version(package):
    try:
        return subprocess.run(['dpkg-query', '-W', '-f', '${Version}', package], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return 'unknown'


def sha256(path):
    h = hashlib.sha256()
    with open(path, 'rb') as f:
        for chunk in iter(lambda: f.read(1 << 20), b''):
            h.update(chunk)
    return h.hexdigest()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--epochs', type=int, default=4)
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--out', default=os.path.join(REPO, 'assets', 'networks'))
    ap.add_argument('--fixture', default=os.path.join(REPO, 'test', 'fixtures', 'networks'))
    ap.add_argument('--cache', default=os.path.join(os.path.expanduser('~'), '.cache', 'gramophone-train'),
                    help='where the rendered notes are kept between runs (keyed by notes.py and the soundfont); "" = none')
    args = ap.parse_args()

    started = time.time()
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    rng = np.random.default_rng(args.seed)
    log = lambda s: print(f'[{time.time() - started:7.1f} s] {s}', flush=True)  # noqa: E731

    mags, labels, held_out, table, silent = notes.cached_dataset(args.cache, log)
    classes = len(notes.FAMILIES)
    train_idx = np.flatnonzero(~held_out)
    val_idx = np.flatnonzero(held_out)
    log(f'{len(train_idx)} training notes, {len(val_idx)} validation notes (held-out pitches)')

    model = InstrumentNet(classes).to(memory_format=torch.channels_last)
    opt = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)
    steps_per_epoch = len(train_idx) // BATCH
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=args.epochs * steps_per_epoch)
    curve = []
    for epoch in range(1, args.epochs + 1):
        model.train()
        order = rng.permutation(train_idx)
        seen, loss_sum, hits = 0, 0.0, 0
        for s in range(steps_per_epoch):
            idx = order[s * BATCH:(s + 1) * BATCH]
            x = batch_input(mags[idx], rng.integers(0, MAX_OFFSET + 1, len(idx)), rng.uniform(*GAIN_DB, len(idx)))
            y = torch.from_numpy(labels[idx])
            opt.zero_grad()
            logits = model(x)
            loss = F.cross_entropy(logits, y)
            loss.backward()
            opt.step()
            sched.step()
            seen += len(idx)
            loss_sum += loss.item() * len(idx)
            hits += (logits.argmax(1) == y).sum().item()
        val_loss, val_acc, _ = evaluate(model, mags[val_idx], labels[val_idx], classes)
        curve.append({'epoch': epoch, 'trainLoss': round(loss_sum / seen, 4), 'trainAccuracy': round(hits / seen, 4),
                      'validationLoss': round(val_loss, 4), 'validationAccuracy': round(val_acc, 4),
                      'seconds': round(time.time() - started, 1)})
        log(f'epoch {epoch}: train loss {loss_sum / seen:.3f} acc {hits / seen:.3f} · validation loss {val_loss:.3f} acc {val_acc:.3f}')

    _, val_acc, per_family = evaluate(model, mags[val_idx], labels[val_idx], classes)
    counts = np.bincount(labels[val_idx], minlength=classes)
    os.makedirs(args.out, exist_ok=True)
    os.makedirs(args.fixture, exist_ok=True)

    convs = [c.weight.detach().contiguous().numpy() for c in model.convs]
    weights = {
        'format': 'gramophone-network',
        'version': 1,
        'name': NAME,
        'input': {'frontEnd': 'linear', 'sampleRate': notes.SAMPLE_RATE, 'nFft': notes.N_FFT, 'window': notes.WINDOW, 'hop': notes.HOP},
        'layers': preset_layers(),
        'tensors': [{'shape': list(w.shape), 'data': b64(w)} for w in convs],
    }
    weights_path = os.path.join(args.out, f'{NAME}.json')
    with open(weights_path, 'w') as f:
        json.dump(weights, f)
        f.write('\n')

    # The forward fixture: a real spectrogram crop (a held-out note's onset, 8 frames × the
    # lowest 32 bins, small enough to commit) and the last layer's activations on it.
    probe = int(val_idx[np.argmax(labels[val_idx] == 5)])  # the first held-out Strings note
    x = np.log1p(mags[probe, :8, :32] * 10 ** (VALIDATION_GAIN_DB / 20)).astype(np.float32)
    model.eval()
    with torch.no_grad():
        y = model.features(torch.from_numpy(x)[None, None]).numpy()[0]
    fixture = {
        'network': NAME,
        'what': 'input X (frames × bins) and PyTorch\'s output of the last layer (layer 14: channels × frames × bins) on it',
        'layer': len(preset_layers()),
        'input': {'shape': list(x.shape), 'data': b64(x)},
        'output': {'shape': list(y.shape), 'data': b64(y)},
    }
    with open(os.path.join(args.fixture, f'{NAME}.forward.json'), 'w') as f:
        json.dump(fixture, f)
        f.write('\n')

    programs = {}
    for program, pitch, velocity, duration in table:
        programs.setdefault(program, set()).add(pitch)
    provenance = {
        'name': NAME,
        'weights': os.path.basename(weights_path),
        'weightsSha256': sha256(weights_path),
        'script': 'scripts/train/train.py (data: scripts/train/notes.py)',
        'command': 'bash scripts/train/train-network.sh',
        'seed': args.seed,
        'threads': args.threads,
        'framework': f'PyTorch {torch.__version__} (Debian python3-torch {debian_version("python3-torch")}), NumPy {np.__version__}',
        'soundfont': {'file': notes.SOUNDFONT, 'package': notes.SOUNDFONT_PACKAGE, 'version': debian_version(notes.SOUNDFONT_PACKAGE),
                      'sha256': sha256(notes.SOUNDFONT), 'licence': 'MIT'},
        'synthesiser': f'FluidSynth {debian_version("fluidsynth")}, reverb and chorus off, gain 0.5, rendered at {notes.RENDER_RATE} Hz and decimated to {notes.SAMPLE_RATE} Hz',
        'data': {
            'programs': 'all 128 General MIDI programs (channel 1, no drum kit)',
            'pitches': f'a grid every {notes.PITCH_STEP} semitones across each instrument\'s range (family ranges, with per-instrument ranges for strings, brass, reeds and a few others; see notes.py)',
            'velocities': list(notes.VELOCITIES),
            'durationsSeconds': list(notes.DURATIONS),
            'notes': len(table),
            'silentNotesLeftOut': [{'program': p, 'pitch': k, 'velocity': v, 'duration': d} for p, k, v, d in silent],
            'trainingNotes': int(len(train_idx)),
            'validationNotes': int(len(val_idx)),
            'heldOut': 'every 4th pitch of each program\'s grid (the 2nd, 6th, …), at every velocity and duration: validation pitches are never seen in training',
            'analysis': f'{notes.SAMPLE_RATE} Hz mono, periodic Hann of {notes.WINDOW} zero-padded centred in a {notes.N_FFT}-point FFT, hop {notes.HOP}, centred frames with reflect padding, X = log(1 + g·|STFT|)',
            'example': f'{CROP} frames (0.32 s) of a note kept from 20 ms before its onset for {notes.NOTE_FRAMES} frames; training crops start anywhere in it and have a level g from {GAIN_DB[0]} to {GAIN_DB[1]} dB re. the note\'s peak at full scale; validation crops start at the kept note\'s start at {VALIDATION_GAIN_DB} dB',
        },
        'classes': notes.FAMILIES,
        'classesAre': 'the 16 General MIDI families (programs 8k … 8k+7): several programs of a family share near-identical samples in FluidR3, so families are the distinctions the sounds really make, and they are balanced',
        'model': {
            'layers': preset_layers(),
            'head': 'mean and max of each of the 64 channels over all time-frequency positions → linear 128 → ReLU → dropout 0.3 → linear 16 (not shipped: the engine uses the conv layers only)',
            'headIs': 'position-free, as the Gram matrices of the style loss are: a first run with a head on the flattened 64 channels × 64 bins (mean over time) reached 0.33 validation accuracy after 2 of 4 epochs with its validation loss rising (it learnt where in frequency each training pitch lies)',
            'init': 'Kaiming normal (ReLU) for the conv layers, no bias',
        },
        'training': {'optimizer': 'Adam', 'learningRate': LEARNING_RATE, 'schedule': 'cosine to 0 over all steps', 'batch': BATCH,
                     'epochs': args.epochs, 'loss': 'cross-entropy', 'curve': curve, 'seconds': round(time.time() - started, 1)},
        'validation': {
            'accuracy': round(float(val_acc), 4),
            'chance': round(1 / classes, 4),
            'chanceIs': 'one in 16: the validation set has the same number of notes in every family up to the families\' pitch ranges, and the most frequent family is '
                        f'{round(float(counts.max() / counts.sum()), 4)} of it',
            'perFamily': {notes.FAMILIES[i]: {'accuracy': round(float(per_family[i]), 4), 'notes': int(counts[i])} for i in range(classes)},
        },
    }
    with open(os.path.join(args.out, f'{NAME}.provenance.json'), 'w') as f:
        json.dump(provenance, f, indent=2, ensure_ascii=False)
        f.write('\n')
    log(f'validation accuracy {val_acc:.3f} (chance {1 / classes:.3f}); wrote {weights_path}')


if __name__ == '__main__':
    main()
