#!/usr/bin/env python3
"""Paired timing of one style workload: PyTorch (as ../shared/reference/reference.py) and
Gramophone's objective (`node dist/bench/bench.js --serve`), one evaluation each in turn.

On shared cores the machine's speed drifts by several times within a minute, so two
separate runs compare different machines. Alternating single evaluations makes each
ratio compare neighbours; the median ratio is the figure to quote.

  /usr/bin/python3 bench/paired.py W1 [--rounds 15] [--inputs DIR] [--backend onnx|tfjs]

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


def main():
    args = sys.argv[1:]
    name = args[0]
    rounds = int(args[args.index("--rounds") + 1]) if "--rounds" in args else 15
    inputs_dir = args[args.index("--inputs") + 1] if "--inputs" in args else None
    backend = args[args.index("--backend") + 1] if "--backend" in args else "onnx"
    c = R.STYLE[name]
    signals = (R.synth(c["sr"], c["seconds"], 1), R.synth(c["sr"], c["seconds"], 2))
    node_args = ["node", os.path.join(HERE, "..", "dist", "bench", "bench.js"), "--serve", name, "--backend", backend]
    if inputs_dir:
        node_args += ["--inputs", inputs_dir]
    ours = subprocess.Popen(node_args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
    ready = ours.stdout.readline()
    if not ready.startswith("ready"):
        sys.exit("bench server did not start: " + ready)
    impl = json.loads(ready[len("ready "):])["impl"]
    evaluate, torch_impl = torch_evaluator(name, signals)
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
