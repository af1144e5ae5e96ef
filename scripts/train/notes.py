"""Training data made by code: single notes of every General MIDI program, rendered by
FluidSynth from Debian's FluidR3_GM soundfont (reverb and chorus off), analysed exactly as
Gramophone's "Verma & Smith" preset analyses audio.

Classes are the 16 General MIDI *families* (programs 8k … 8k+7), not the 128 programs:
FluidR3 plays several programs of a family from the same or near-identical samples (the
pianos, the organs, the synth pads), so program labels would ask the network to separate
sounds that are the same; families are balanced (8 programs each) and are the timbre
categories a musician names (bowed strings, brass, reeds, plucked guitars …).

Validation holds out whole pitches: of each program's pitch grid, every 4th pitch (the 2nd,
6th, 10th, …) is never seen in training, at any velocity or duration, so validation
accuracy measures generalisation to unseen pitches of known instruments.

Analysis (as the engine's linear front end with the preset's analysis): 16 kHz mono,
centred frames (reflect padding of nFft/2), a periodic Hann window of 480 samples
zero-padded centred in a 512-point frame, hop 160, M = |rfft| (257 bins, unscaled);
X = log(1 + g·M) is taken at batch time so the level can be varied (g, a gain).
"""
import hashlib
import os
import pickle
import struct
import subprocess
import tempfile

import numpy as np
from scipy.signal import resample_poly

SOUNDFONT = '/usr/share/sounds/sf2/FluidR3_GM.sf2'
SOUNDFONT_PACKAGE = 'fluid-soundfont-gm'

SAMPLE_RATE = 16000
RENDER_RATE = 32000  # rendered at twice the rate and decimated, so high notes do not alias
N_FFT = 512
WINDOW = 480
HOP = 160
BINS = N_FFT // 2 + 1

FAMILIES = [
    'Piano', 'Chromatic percussion', 'Organ', 'Guitar', 'Bass', 'Strings', 'Ensemble', 'Brass',
    'Reed', 'Pipe', 'Synth lead', 'Synth pad', 'Synth effects', 'Ethnic', 'Percussive', 'Sound effects',
]

# MIDI note ranges: one per family, and the instruments whose range is far from it.
FAMILY_RANGE = [
    (28, 96), (48, 96), (36, 96), (40, 84), (28, 60), (36, 96), (36, 84), (36, 84),
    (40, 88), (60, 96), (36, 96), (36, 84), (36, 84), (48, 84), (36, 84), (48, 84),
]
PROGRAM_RANGE = {
    40: (55, 96), 41: (48, 84), 42: (36, 72), 43: (28, 60), 46: (24, 96), 47: (36, 55),
    56: (55, 84), 57: (40, 72), 58: (28, 58), 59: (55, 82), 60: (41, 77),
    64: (56, 87), 65: (49, 81), 66: (44, 76), 67: (36, 69), 68: (58, 91), 69: (52, 81), 70: (34, 72), 71: (50, 91),
    72: (74, 102), 104: (48, 84), 109: (55, 79), 110: (55, 96), 112: (60, 96), 116: (36, 60),
}

PITCH_STEP = 3  # a minor third between the grid's pitches
VELOCITIES = (50, 85, 120)
DURATIONS = (0.25, 0.8)  # seconds from note-on to note-off
LEAD = 0.1  # seconds of silence before each note-on in the render
RELEASE = 1.2  # seconds after each note-off before the next note's lead
PRE_ONSET_FRAMES = 2  # a kept note starts this many frames (20 ms) before its onset
SILENT = 1e-4  # a note whose render peaks below this (-80 dBFS) is left out
NOTE_FRAMES = 48  # frames kept per note (0.48 s: the attack, sustain and, for short notes, the release)


def program_pitches(program):
    """The pitch grid of a program and which of its pitches are held out for validation."""
    lo, hi = PROGRAM_RANGE.get(program, FAMILY_RANGE[program // 8])
    pitches = list(range(lo, hi + 1, PITCH_STEP))
    return [(p, i % 4 == 1) for i, p in enumerate(pitches)]


def note_plan(program):
    """Every note of one program in render order: (pitch, velocity, duration, held out)."""
    return [(p, v, d, held) for p, held in program_pitches(program) for v in VELOCITIES for d in DURATIONS]


def _vlq(n):
    out = [n & 0x7F]
    n >>= 7
    while n:
        out.append(0x80 | (n & 0x7F))
        n >>= 7
    return bytes(reversed(out))


TICKS_PER_BEAT = 1000
SECONDS_PER_TICK = 0.5 / TICKS_PER_BEAT  # the default tempo, 120 beats per minute


def _ticks(seconds):
    return int(round(seconds / SECONDS_PER_TICK))


def midi_file(program, notes):
    """A format-0 Standard MIDI File playing `notes` one after another on channel 1, and each note-on time in seconds."""
    events = [(0, bytes([0xC0, program]))]
    onsets = []
    t = 0.0
    for pitch, velocity, duration, _ in notes:
        on = t + LEAD
        onsets.append(on)
        events.append((_ticks(on), bytes([0x90, pitch, velocity])))
        events.append((_ticks(on + duration), bytes([0x80, pitch, 0])))
        t = on + duration + RELEASE
    # A last event keeps the player running through the final release.
    events.append((_ticks(t), bytes([0xB0, 121, 0])))
    track = b''
    now = 0
    for tick, data in sorted(events, key=lambda e: e[0]):
        track += _vlq(tick - now) + data
        now = tick
    track += b'\x00\xff\x2f\x00'
    header = b'MThd' + struct.pack('>IHHH', 6, 0, 1, TICKS_PER_BEAT)
    return header + b'MTrk' + struct.pack('>I', len(track)) + track, onsets


def render(midi, workdir):
    """Render a MIDI file with FluidSynth (reverb and chorus off) at RENDER_RATE, then decimate to 16 kHz mono float64."""
    mid = os.path.join(workdir, 'notes.mid')
    wav = os.path.join(workdir, 'notes.wav')
    with open(mid, 'wb') as f:
        f.write(midi)
    subprocess.run(
        ['fluidsynth', '-q', '-n', '-i', '-R', '0', '-C', '0', '-g', '0.5', '-r', str(RENDER_RATE),
         '-O', 'float', '-T', 'raw', '-F', wav, SOUNDFONT, mid],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    stereo = np.fromfile(wav, dtype='<f4').reshape(-1, 2).astype(np.float64)
    return resample_poly(stereo.mean(axis=1), SAMPLE_RATE, RENDER_RATE)


def hann_window():
    """Periodic Hann of WINDOW samples, zero-padded centred in N_FFT (the engine's window convention)."""
    w = np.zeros(N_FFT)
    n = np.arange(WINDOW)
    start = (N_FFT - WINDOW) // 2
    w[start:start + WINDOW] = 0.5 - 0.5 * np.cos(2 * np.pi * n / WINDOW)
    return w


def stft_magnitude(signal):
    """|STFT| of a mono signal: frames × 257 bins, centred frames with reflect padding."""
    padded = np.pad(signal, N_FFT // 2, mode='reflect')
    frames = 1 + (len(padded) - N_FFT) // HOP
    idx = np.arange(N_FFT)[None, :] + HOP * np.arange(frames)[:, None]
    return np.abs(np.fft.rfft(padded[idx] * hann_window()[None, :], axis=1))


def build_dataset(log=print):
    """Render and analyse every note of every program.

    Returns M (notes × NOTE_FRAMES × BINS float32, each note scaled so its render's peak is
    1), labels (family per note), held-out flags, the note table (program, pitch, velocity,
    duration) for the provenance, and the notes left out because they rendered silence.
    """
    mags, labels, held_out, table, silent = [], [], [], [], []
    with tempfile.TemporaryDirectory() as workdir:
        for program in range(128):
            notes = note_plan(program)
            midi, onsets = midi_file(program, notes)
            audio = render(midi, workdir)
            m = stft_magnitude(audio)
            for (pitch, velocity, duration, held), onset in zip(notes, onsets):
                first = int(round(onset * SAMPLE_RATE / HOP)) - PRE_ONSET_FRAMES
                start = int(onset * SAMPLE_RATE)
                end = start + int((duration + RELEASE) * SAMPLE_RATE)
                peak = np.abs(audio[start:end]).max()
                if peak < SILENT:
                    # The soundfont has no sample for this key (e.g. FluidR3's violin above B6).
                    silent.append((program, pitch, velocity, duration))
                    continue
                mags.append((m[first:first + NOTE_FRAMES] / peak).astype(np.float32))
                labels.append(program // 8)
                held_out.append(held)
                table.append((program, pitch, velocity, duration))
            if program % 16 == 15:
                log(f'rendered programs 0–{program}: {len(labels)} notes')
    if silent:
        log(f'{len(silent)} notes the soundfont does not sound (left out): {silent}')
    return np.stack(mags), np.array(labels), np.array(held_out), table, silent


def cached_dataset(cache_dir, log=print):
    """`build_dataset`, kept in `cache_dir` between runs under a key made of this file's text
    and the soundfont's size and time (rendering is most of a run); '' or None = no cache."""
    if not cache_dir:
        return build_dataset(log)
    st = os.stat(SOUNDFONT)
    with open(__file__, 'rb') as f:
        key = hashlib.sha256(f.read() + f'{st.st_size} {st.st_mtime_ns}'.encode()).hexdigest()[:16]
    path = os.path.join(cache_dir, f'notes-{key}.pickle')
    if os.path.exists(path):
        log(f'notes from {path}')
        with open(path, 'rb') as f:
            return pickle.load(f)
    data = build_dataset(log)
    os.makedirs(cache_dir, exist_ok=True)
    with open(path + '.tmp', 'wb') as f:
        pickle.dump(data, f, protocol=4)
    os.replace(path + '.tmp', path)
    return data
