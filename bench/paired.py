#!/usr/bin/env python3
"""Paired timing of one style workload: PyTorch (as ../shared/reference/reference.py for W1/W2;
written here in the same manner for W4/W5) and Gramophone's objective
(`node dist/bench/bench.js --serve`), one evaluation each in turn.

On shared cores the machine's speed drifts by several times within a minute, so two
separate runs compare different machines. Alternating single evaluations makes each
ratio compare neighbours; the median ratio is the figure to quote.

  /usr/bin/python3 bench/paired.py W1|W2|W4|W5 [--rounds 15] [--inputs DIR] [--backend onnx|tfjs]

W4 is "Verma & Smith": 16 kHz, 30 ms Hann window in a 512-point FFT, 10 ms hop, log1p|STFT|
as a one-channel image, six 3x3 conv2d (16, 16, 32, 32, 64, 64 channels, same padding) each
followed by relu, 2x2 max pooling after the 2nd and 4th; style Grams (channels x channels
over time-frequency positions) on every relu, content on the last, plus the energy and
timbre envelopes; all weights 1. W5 is "IITB mel tanh": 22.05 kHz, FFT 2048, hop 512,
128-band HTK-mel triangles (each band's weights summing to 1), log1p, one 3x3 conv2d of 64
channels with tanh; content and style. Both evaluated at X = content, as W1/W2.

Prints one JSON line: both medians over the paired samples, the median and quartiles of
the per-pair ratios (ours / torch), and both processes' peak RSS.
"""
import json, os, resource, statistics, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
REF = os.environ.get("GRAMOPHONE_REFERENCE", os.path.join(HERE, "..", "..", "shared", "reference"))
sys.path.insert(0, REF)
os.environ.setdefault("OMP_WAIT_POLICY", "passive")
import reference as R  # noqa: E402


def torch_evaluator(name, inputs):
    """reference.py's style() setup, returning its evaluate()."""
    import numpy as np, torch, torch.nn.functional as Fn
    torch.set_num_threads(R.THREADS); torch.manual_seed(0)
    c = R.STYLE[name]; F = c["n_fft"] // 2 + 1; N, K = c["N"], c["K"]
    win = torch.hann_window(c["n_fft"], periodic=True)
    def logmag(y):
        S = torch.stft(torch.from_numpy(y), c["n_fft"], c["hop"], window=win, center=True, pad_mode="reflect", return_complex=True)
        return torch.log1p(S.abs())[None]
    Xc, Xs = logmag(inputs[0]), logmag(inputs[1])
    W = torch.randn(N, F, K) * (np.sqrt(2) * np.sqrt(2.0 / ((F + N) * K)))
    feats = lambda X: Fn.relu(Fn.conv1d(X, W))[0]
    gram = lambda A: A @ A.T / A.shape[1]
    energy = lambda X: X[0].mean(0)
    timbre = lambda X: X[0].mean(1)
    with torch.no_grad():
        Ac, As = feats(Xc), feats(Xs); Gs = gram(As)
        es = Fn.interpolate(energy(Xs)[None, None], size=Xc.shape[2], mode="linear", align_corners=True)[0, 0]
        ts = timbre(Xs)
    nrm = lambda a, b: ((a - b) ** 2).sum() / (b ** 2).sum()
    X = Xc.clone().requires_grad_(True)
    def evaluate():
        X.grad = None
        A = feats(X)
        loss = nrm(A, Ac) + nrm(gram(A), Gs) + nrm(energy(X), es) + nrm(timbre(X), ts)
        loss.backward(); return float(loss)
    return evaluate, "torch-" + torch.__version__


PRESETS = {"W4": dict(sr=16000, n_fft=512, win=480, hop=160, seconds=10.0, layers="verma", style=[2, 4, 7, 9, 12, 14], content=14, energy=True),
           "W5": dict(sr=22050, n_fft=2048, win=2048, hop=512, seconds=10.0, layers="iitb", style=[2], content=2, energy=False, mel=128)}


def mel_bank(bands, n_fft, sr):
    """Gramophone's mel front end: HTK mel, triangles sampled at the bins, each band summing to 1."""
    import numpy as np
    mel = lambda f: 2595 * np.log10(1 + f / 700)
    hz = lambda m: 700 * (10 ** (m / 2595) - 1)
    edges = hz(np.linspace(mel(0), mel(sr / 2), bands + 2))
    f = np.arange(n_fft // 2 + 1) * sr / n_fft
    B = np.zeros((bands, f.size))
    for b in range(bands):
        lo, mid, hi = edges[b:b + 3]
        w = np.maximum(0, np.minimum((f - lo) / (mid - lo), (hi - f) / (hi - mid)))
        if w.sum() == 0:
            w[int(round(mid * n_fft / sr))] = 1
        B[b] = w / w.sum()
    return B


def torch_preset_evaluator(name, inputs):
    """The W4/W5 objective in PyTorch, autograd for the gradient."""
    import numpy as np, torch, torch.nn.functional as Fn
    torch.set_num_threads(R.THREADS); torch.manual_seed(0)
    c = PRESETS[name]
    win = torch.hann_window(c["win"], periodic=True)
    B = torch.from_numpy(mel_bank(c["mel"], c["n_fft"], c["sr"])).float() if c.get("mel") else None
    def front(y):
        S = torch.stft(torch.from_numpy(y), c["n_fft"], c["hop"], win_length=c["win"], window=win, center=True, pad_mode="reflect", return_complex=True).abs()
        if B is not None:
            S = B @ S
        return torch.log1p(S).T.contiguous()  # [T, F]
    Xc, Xs = front(inputs[0]), front(inputs[1])
    def conv(cin, cout):
        return torch.randn(cout, cin, 3, 3) * (np.sqrt(2) * np.sqrt(2.0 / ((cin + cout) * 9)))
    if c["layers"] == "verma":
        chans = [16, 16, 32, 32, 64, 64]; Ws = []; cin = 1
        for ch in chans:
            Ws.append(conv(cin, ch)); cin = ch
        def net(X):
            a = X[None, None]; outs = [None]
            for i, W in enumerate(Ws):
                a = Fn.conv2d(a, W, padding=1); outs.append(a); a = Fn.relu(a); outs.append(a)
                if i in (1, 3):
                    a = Fn.max_pool2d(a, 2); outs.append(a)
            return outs
    else:
        W = conv(1, 64)
        def net(X):
            z = Fn.conv2d(X[None, None], W, padding=1)
            return [None, z, torch.tanh(z)]
    gram = lambda A: (lambda a: a @ a.T / a.shape[1])(A[0].reshape(A.shape[1], -1))
    nrm = lambda a, b: ((a - b) ** 2).sum() / (b ** 2).sum()
    with torch.no_grad():
        oc, os_ = net(Xc), net(Xs)
        Ac = oc[c["content"]]; Gs = [gram(os_[l]) for l in c["style"]]
        es = Fn.interpolate(Xs.mean(1)[None, None], size=Xc.shape[0], mode="linear", align_corners=True)[0, 0]
        ts = Xs.mean(0)
    X = Xc.clone().requires_grad_(True)
    def evaluate():
        X.grad = None
        o = net(X)
        loss = nrm(o[c["content"]], Ac) + sum(nrm(gram(o[l]), g) for l, g in zip(c["style"], Gs)) / len(Gs)
        if c["energy"]:
            loss = loss + nrm(X.mean(1), es) + nrm(X.mean(0), ts)
        loss.backward(); return float(loss)
    return evaluate, "torch-" + torch.__version__


def main():
    args = sys.argv[1:]
    name = args[0]
    rounds = int(args[args.index("--rounds") + 1]) if "--rounds" in args else 15
    inputs_dir = args[args.index("--inputs") + 1] if "--inputs" in args else None
    backend = args[args.index("--backend") + 1] if "--backend" in args else "onnx"
    c = R.STYLE.get(name) or PRESETS[name]
    signals = (R.synth(c["sr"], c["seconds"], 1), R.synth(c["sr"], c["seconds"], 2))
    node_args = ["node", os.path.join(HERE, "..", "dist", "bench", "bench.js"), "--serve", name, "--backend", backend]
    if inputs_dir:
        node_args += ["--inputs", inputs_dir]
    ours = subprocess.Popen(node_args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
    ready = ours.stdout.readline()
    if not ready.startswith("ready"):
        sys.exit("bench server did not start: " + ready)
    impl = json.loads(ready[len("ready "):])["impl"]
    evaluate, torch_impl = (torch_evaluator if name in R.STYLE else torch_preset_evaluator)(name, signals)
    for _ in range(2):
        evaluate()
    t_ours, t_torch = [], []
    for i in range(rounds):
        # Alternate which goes first so neither always inherits the other's cache state.
        order = ("torch", "ours") if i % 2 == 0 else ("ours", "torch")
        for who in order:
            if who == "torch":
                t0 = time.perf_counter(); evaluate(); t_torch.append((time.perf_counter() - t0) * 1e3)
            else:
                ours.stdin.write("go\n"); ours.stdin.flush(); t_ours.append(float(ours.stdout.readline()))
    ours.stdin.write("quit\n"); ours.stdin.flush()
    done = json.loads(ours.stdout.readline()[len("done "):]); ours.wait()
    ratios = sorted(a / b for a, b in zip(t_ours, t_torch))
    q = statistics.quantiles(ratios, n=4)
    print(json.dumps(dict(workload=name, impl=impl, torch=torch_impl, pairs=rounds,
                          median_ms=round(statistics.median(t_ours), 2), torch_median_ms=round(statistics.median(t_torch), 2),
                          ratio_median=round(statistics.median(ratios), 3), ratio_q1=round(q[0], 3), ratio_q3=round(q[2], 3),
                          peak_rss_mb=done["peak_rss_mb"],
                          torch_peak_rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1))), flush=True)


if __name__ == "__main__":
    main()
