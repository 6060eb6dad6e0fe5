#!/usr/bin/env python3
"""Per-op goldens for the ConvLens numeric core (src/core/kernels).

For every op, a table of configurations is run through PyTorch (float32, CPU,
batch axis added then removed) and written with its inputs, weights and
expected output to test/golden/ops/<family>.json. Tensors are stored as
{"shape": [...], "data": base64 of little-endian float32}.

Run from the repo root:  python3 scripts/golden/ops.py
Deterministic: a fixed seed per case (derived from the case index).
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

import numpy as np
import torch.nn.functional as F

COMMAND = "python3 scripts/golden/ops.py"
SEED = 1234
REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT_DIR = os.path.join(REPO_ROOT, "test", "golden", "ops")

torch.set_num_threads(1)


def enc(t):
    a = t.detach().to(torch.float32).contiguous().numpy().astype("<f4")
    return {"shape": list(a.shape), "data": base64.b64encode(a.tobytes()).decode("ascii")}


class Family:
    def __init__(self, name):
        self.name = name
        self.cases = []
        self.gen = torch.Generator().manual_seed(SEED + sum(map(ord, name)))

    def randn(self, *shape, scale=1.0):
        return torch.randn(*shape, generator=self.gen) * scale

    def rand(self, *shape, lo=0.0, hi=1.0):
        return torch.rand(*shape, generator=self.gen) * (hi - lo) + lo

    def add(self, op, name, config, inputs, expected):
        if isinstance(expected, (list, tuple)):
            exp = [enc(e) for e in expected]
        else:
            exp = enc(expected)
        self.cases.append({
            "op": op,
            "name": name,
            "config": config,
            "inputs": {k: (None if v is None else enc(v)) for k, v in inputs.items()},
            "expected": exp,
        })

    def write(self):
        doc = {
            "generator": {
                "command": COMMAND,
                "torch": torch.__version__,
                "numpy": np.__version__,
                "seed": SEED,
                "encoding": "data = base64 of little-endian float32, row-major",
            },
            "cases": self.cases,
        }
        os.makedirs(OUT_DIR, exist_ok=True)
        path = os.path.join(OUT_DIR, f"{self.name}.json")
        with open(path, "w") as f:
            json.dump(doc, f, separators=(",", ":"))
            f.write("\n")
        return path, len(self.cases)


def fmt(v):
    if isinstance(v, str):
        return v
    if isinstance(v, (list, tuple)):
        return "(" + ",".join(fmt(x) for x in v) + ")"
    return str(v)


def shape_str(t):
    return "[" + ",".join(str(d) for d in t.shape) + "]"


def per_axis(v, rank):
    return list(v) if isinstance(v, (list, tuple)) else [v] * rank


# --- conv ---------------------------------------------------------------------

CONV = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}
CONV_T = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}


def torch_conv(x, w, b, stride, padding, dilation, groups):
    rank = x.dim() - 1
    xb = x.unsqueeze(0)
    if isinstance(padding, list) and padding and isinstance(padding[0], list):
        # Asymmetric [before, after] per axis: F.pad (last axis first), then an unpadded conv.
        flat = []
        for before, after in reversed(padding):
            flat += [before, after]
        xb = F.pad(xb, flat)
        padding = 0
    return CONV[rank](xb, w, b, stride=stride, padding=padding, dilation=dilation, groups=groups)[0]


def conv_cases(fam):
    # (x shape, C_out, kernel, stride, padding, dilation, groups, bias)
    table = [
        ([3, 7, 9], 4, 3, 1, 0, 1, 1, True),
        ([3, 7, 9], 4, 3, 1, 1, 1, 1, True),
        ([3, 7, 9], 5, 3, 2, 1, 1, 1, True),
        ([3, 13, 11], 4, 2, 3, 0, 1, 1, True),  # stride > kernel: drops rows
        ([2, 11, 10], 3, 3, 1, 2, 2, 1, True),
        ([2, 13, 12], 3, 3, 2, 1, 3, 1, True),
        ([4, 8, 8], 6, 3, 1, 1, 1, 2, True),
        ([6, 9, 7], 9, 3, 2, 1, 1, 3, False),
        ([5, 9, 7], 5, 3, 1, 1, 1, 5, True),  # depthwise
        ([5, 9, 7], 10, 3, 2, 1, 1, 5, True),  # depthwise, multiplier 2
        ([4, 12, 11], 4, 3, 2, 2, 2, 4, True),  # depthwise dilated
        ([3, 10, 10], 3, 5, 1, 2, 1, 3, False),  # depthwise 5×5
        ([2, 2, 3], 2, 3, 1, 1, 1, 2, True),  # depthwise 3×3 on an input narrower than the kernel
        ([2, 7, 6], 2, 3, 1, 3, 3, 2, True),  # depthwise 3×3, dilation 3: many border rows
        ([3, 8, 9], 3, 3, 3, 2, 1, 3, True),  # depthwise 3×3, stride 3, padding 2
        ([4, 11, 13], 4, 7, 1, 3, 1, 4, True),  # depthwise 7×7 (ConvNeXt)
        ([3, 12, 11], 6, 5, 2, 2, 1, 3, True),  # depthwise 5×5 stride 2, multiplier 2
        ([3, 9, 10], 3, [1, 7], 1, [0, 3], 1, 3, True),
        ([2, 8, 9], 2, 5, 1, 4, 2, 2, False),  # depthwise 5×5 dilation 2
        ([2, 4, 5], 2, 7, 1, 3, 1, 2, True),  # depthwise 7×7 larger than the input
        ([2, 9, 9], 2, [4, 2], [2, 1], [[1, 2], [0, 1]], 1, 2, True),  # depthwise even kernel, asymmetric
        ([8, 6, 7], 5, 1, 1, 0, 1, 1, True),  # 1×1
        ([8, 7, 9], 6, 1, 2, 0, 1, 1, True),  # 1×1 stride 2
        ([8, 6, 7], 6, 1, 1, 0, 1, 2, True),  # grouped 1×1
        ([3, 9, 11], 4, [1, 7], 1, [0, 3], 1, 1, True),
        ([3, 9, 11], 4, [3, 5], [1, 2], [1, 2], 1, 1, True),
        ([3, 9, 11], 4, [7, 1], 1, [3, 0], 1, 1, True),
        ([3, 8, 9], 4, 3, 2, [[0, 1], [2, 1]], 1, 1, True),  # asymmetric padding
        ([3, 7, 8], 4, 2, 1, [[0, 1], [0, 1]], 1, 1, True),  # TF-style same for even kernel
        ([3, 7, 9], 4, 3, 1, "same", 1, 1, True),
        ([3, 7, 9], 4, 4, 1, "same", 1, 1, True),
        ([3, 9, 9], 4, 3, 1, "same", 2, 1, True),
        ([3, 7, 9], 4, [2, 5], 1, "same", 1, 1, True),
        ([3, 7, 9], 4, 3, 1, "valid", 1, 1, True),
        ([17, 10, 11], 13, 3, 1, 1, 1, 1, True),  # panel edges: M, P not multiples of 4
        ([64, 12, 12], 8, 3, 1, 1, 1, 1, True),  # several column chunks
        ([3, 15, 17], 8, 7, 2, 3, 1, 1, True),  # stem-like 7×7/2
        # 3×3 stride-1 with ≥ 8 channels per group: the Winograd F(2×2,3×3) path
        ([8, 7, 9], 8, 3, 1, 1, 1, 1, True),  # odd output: partial last tiles
        ([9, 9, 8], 10, 3, 1, 0, 1, 1, True),
        ([8, 8, 9], 8, 3, 1, [[0, 2], [1, 0]], 1, 1, True),
        ([8, 6, 7], 9, 3, 1, "same", 1, 1, True),
        ([16, 7, 6], 16, 3, 1, 1, 1, 2, False),
        ([12, 4, 4], 8, 3, 1, 0, 1, 1, True),  # a single 2×2 tile
        ([8, 3, 3], 8, 3, 1, 0, 1, 1, True),  # 1×1 output: falls back to the direct GEMM
        ([32, 10, 10], 24, 3, 1, 2, 1, 1, True),
        ([48, 20, 21], 40, 3, 1, 1, 1, 1, True),  # several tile chunks
        # larger maps: the Winograd F(4×4,3×3) path (≥ 32 output tiles of 4×4)
        ([16, 24, 26], 12, 3, 1, 1, 1, 1, True),
        ([9, 25, 23], 8, 3, 1, 0, 1, 1, True),  # 23×21 output: partial tiles
        ([8, 23, 24], 9, 3, 1, [[2, 0], [1, 1]], 1, 1, False),
        ([32, 22, 22], 16, 3, 1, 1, 1, 2, True),
        ([1, 1, 1], 2, 1, 1, 0, 1, 1, True),
        ([2, 3, 3], 2, 3, 1, 0, 1, 1, True),  # kernel = input
        ([2, 4, 5], 3, 3, 5, 1, 1, 1, True),
        # 1D
        ([3, 13], 4, 3, 1, 1, 1, 1, True),
        ([3, 13], 4, 5, 2, 0, 2, 1, True),
        ([3, 13], 3, 3, 1, 1, 1, 3, True),
        ([4, 17], 8, 5, 3, 2, 1, 2, False),
        ([3, 13], 4, 4, 1, "same", 1, 1, True),
        ([3, 13], 4, 3, 2, [[2, 0]], 1, 1, True),
        ([6, 11], 5, 1, 1, 0, 1, 1, True),
        # 3D
        ([2, 5, 6, 7], 3, 3, 1, 1, 1, 1, True),
        ([2, 7, 6, 5], 3, 3, 2, 0, 1, 1, True),
        ([2, 5, 6, 7], 2, 3, 1, 1, 1, 2, True),
        ([2, 5, 6, 7], 4, [1, 3, 3], 1, [0, 1, 1], 1, 1, True),
        ([3, 4, 5, 6], 2, 1, 1, 0, 1, 1, False),
        ([2, 7, 7, 7], 2, 3, 1, 2, 2, 1, True),
        ([2, 5, 6, 7], 3, 3, 1, "same", 1, 1, True),
    ]
    for xs, cout, k, s, p, d, g, has_bias in table:
        rank = len(xs) - 1
        kernel = per_axis(k, rank)
        x = fam.randn(*xs)
        w = fam.randn(cout, xs[0] // g, *kernel, scale=1.0 / (xs[0] // g * int(np.prod(kernel))) ** 0.5)
        b = fam.randn(cout) if has_bias else None
        if isinstance(p, list) and p and not isinstance(p[0], list) and len(p) != rank:
            raise ValueError("padding per axis")
        y = torch_conv(x, w, b, per_axis(s, rank), p if isinstance(p, (str, list)) else per_axis(p, rank), per_axis(d, rank), g)
        name = f"conv{rank}d x={shape_str(x)} w={shape_str(w)} k={fmt(k)} s={fmt(s)} d={fmt(d)} p={fmt(p)} g={g}" + ("" if has_bias else " nobias")
        fam.add("conv", name, {"stride": s, "padding": p, "dilation": d, "groups": g}, {"x": x, "w": w, "b": b}, y)


def conv_transpose_cases(fam):
    # (x shape, C_out, kernel, stride, padding, output_padding, dilation, groups, bias)
    table = [
        ([4, 5, 6], 3, 3, 2, 1, 1, 1, 1, True),
        ([4, 5, 6], 3, 3, 1, 0, 0, 1, 1, True),
        ([3, 5, 5], 2, 4, 2, 1, 0, 1, 1, True),  # U-Net style 4/2/1: exact doubling
        ([2, 5, 6], 3, 2, 2, 0, 0, 1, 1, True),  # 2/2: exact doubling
        ([3, 4, 5], 2, 3, 3, 1, 2, 2, 1, True),
        ([4, 5, 6], 6, 3, 2, 1, 1, 1, 2, True),
        ([3, 6, 5], 3, 3, 2, 0, 0, 1, 3, False),  # depthwise transposed
        ([3, 5, 6], 4, [2, 3], [2, 1], [0, 1], [1, 0], 1, 1, True),
        ([2, 5, 6], 3, 3, 2, 2, 1, 1, 1, True),
        # ≥ 4 input channels per group: the GEMM + col2im path
        ([16, 5, 6], 8, 2, 2, 0, 0, 1, 1, True),
        ([12, 7, 5], 6, 3, 2, 1, 1, 1, 1, True),
        ([16, 5, 5], 8, 4, 2, 1, 0, 1, 2, False),
        ([8, 4, 5], 5, 3, 3, 2, 1, 2, 1, True),
        ([9, 6, 7], 7, [1, 3], [1, 2], [0, 1], [0, 1], 1, 1, True),
        ([8, 9], 4, 4, 2, 1, 0, 1, 1, True),
        ([8, 3, 4, 5], 4, 3, 2, 1, 1, 1, 1, True),
        # 1D
        ([3, 7], 2, 4, 2, 1, 0, 1, 1, True),
        ([3, 7], 4, 3, 3, 1, 2, 1, 1, True),
        ([4, 9], 4, 5, 2, 2, 1, 2, 2, False),
        # 3D
        ([2, 3, 4, 5], 3, 3, 2, 1, 1, 1, 1, True),
        ([2, 3, 4, 5], 2, 2, 2, 0, 0, 1, 1, True),
        ([2, 3, 4, 4], 4, [1, 3, 3], [1, 2, 2], [0, 1, 1], [0, 1, 1], 1, 2, True),
    ]
    for xs, cout, k, s, p, op, d, g, has_bias in table:
        rank = len(xs) - 1
        kernel = per_axis(k, rank)
        x = fam.randn(*xs)
        w = fam.randn(xs[0], cout // g, *kernel, scale=1.0 / (xs[0] * int(np.prod(kernel))) ** 0.5)
        b = fam.randn(cout) if has_bias else None
        y = CONV_T[rank](x.unsqueeze(0), w, b, stride=per_axis(s, rank), padding=per_axis(p, rank),
                         output_padding=per_axis(op, rank), groups=g, dilation=per_axis(d, rank))[0]
        name = (f"convTranspose{rank}d x={shape_str(x)} w={shape_str(w)} k={fmt(k)} s={fmt(s)} d={fmt(d)} "
                f"p={fmt(p)} op={fmt(op)} g={g}" + ("" if has_bias else " nobias"))
        fam.add("convTranspose", name, {"stride": s, "padding": p, "outputPadding": op, "dilation": d, "groups": g},
                {"x": x, "w": w, "b": b}, y)


# --- pooling ------------------------------------------------------------------

MAXPOOL = {1: F.max_pool1d, 2: F.max_pool2d, 3: F.max_pool3d}
AVGPOOL = {1: F.avg_pool1d, 2: F.avg_pool2d, 3: F.avg_pool3d}
AAVG = {1: F.adaptive_avg_pool1d, 2: F.adaptive_avg_pool2d, 3: F.adaptive_avg_pool3d}
AMAX = {1: F.adaptive_max_pool1d, 2: F.adaptive_max_pool2d, 3: F.adaptive_max_pool3d}


def pool_cases(fam):
    # max: (x shape, kernel, stride, padding, dilation, ceil)
    maxes = [
        ([3, 7, 9], 2, None, 0, 1, False),
        ([3, 8, 8], 2, None, 0, 1, False),
        ([3, 9, 11], 3, 2, 1, 1, False),  # ResNet stem pool
        ([2, 8, 8], 3, 2, 0, 1, True),
        ([2, 7, 9], 3, 2, 0, 1, True),
        ([2, 7, 9], 2, 2, 0, 1, True),
        ([2, 9, 10], 3, 2, 1, 1, True),
        ([2, 6, 6], 3, 3, 1, 1, True),
        ([2, 5, 5], 2, 2, 1, 1, True),  # ceil would start a last window in the right padding: dropped
        ([2, 11, 12], 3, 1, 1, 2, False),
        ([2, 11, 12], 2, 3, 0, 2, True),
        ([2, 9, 10], [2, 3], [1, 2], [1, 1], 1, False),
        ([2, 10, 9], [3, 1], [2, 1], [1, 0], 1, True),
        ([3, 13], 3, 2, 1, 1, False),
        ([3, 13], 2, None, 0, 1, True),
        ([2, 5, 7, 6], 2, None, 0, 1, False),
        ([2, 5, 7, 6], 3, 2, 1, 1, True),
    ]
    for xs, k, s, p, d, ceil in maxes:
        rank = len(xs) - 1
        x = fam.randn(*xs)
        y = MAXPOOL[rank](x.unsqueeze(0), per_axis(k, rank), None if s is None else per_axis(s, rank),
                          per_axis(p, rank), per_axis(d, rank), ceil_mode=ceil)[0]
        cfg = {"kernel": k, "padding": p, "dilation": d, "ceilMode": ceil}
        if s is not None:
            cfg["stride"] = s
        name = f"maxPool{rank}d x={shape_str(x)} k={fmt(k)} s={fmt(s if s is not None else k)} d={fmt(d)} p={fmt(p)} ceil={ceil}"
        fam.add("maxPool", name, cfg, {"x": x}, y)

    # avg: (x shape, kernel, stride, padding, ceil, count_include_pad)
    avgs = [
        ([3, 7, 9], 2, None, 0, False, True),
        ([3, 8, 8], 2, None, 0, False, True),
        ([2, 9, 11], 3, 2, 1, False, True),
        ([2, 9, 11], 3, 2, 1, False, False),
        ([2, 8, 10], 3, 2, 1, True, True),  # ceil + pad: divisor clipped to input + padding
        ([2, 8, 10], 3, 2, 1, True, False),
        ([2, 7, 9], 3, 2, 0, True, True),  # ceil without padding: last window hangs off the end
        ([2, 7, 9], 2, 2, 0, True, False),
        ([2, 6, 6], 3, 3, 1, True, True),
        ([2, 5, 5], 2, 2, 1, True, True),  # dropped last window (see maxPool)
        ([2, 5, 5], 2, 2, 1, True, False),
        ([2, 9, 10], [2, 3], [1, 2], [1, 1], False, True),
        ([2, 9, 10], [3, 2], [2, 3], [1, 0], True, False),
        ([3, 13], 3, 2, 1, False, True),
        ([3, 13], 4, 3, 2, True, False),
        ([3, 13], 4, 3, 2, True, True),
        ([2, 5, 7, 6], 2, None, 0, False, True),
        ([2, 5, 7, 6], 3, 2, 1, True, False),
        ([2, 5, 7, 6], 3, 2, 1, True, True),
    ]
    for xs, k, s, p, ceil, cip in avgs:
        rank = len(xs) - 1
        x = fam.randn(*xs)
        args = [x.unsqueeze(0), per_axis(k, rank), None if s is None else per_axis(s, rank), per_axis(p, rank), ceil, cip]
        if rank == 1:
            y = F.avg_pool1d(*args)[0]
        else:
            y = AVGPOOL[rank](*args)[0]
        cfg = {"kernel": k, "padding": p, "ceilMode": ceil, "countIncludePad": cip}
        if s is not None:
            cfg["stride"] = s
        name = f"avgPool{rank}d x={shape_str(x)} k={fmt(k)} s={fmt(s if s is not None else k)} p={fmt(p)} ceil={ceil} countIncludePad={cip}"
        fam.add("avgPool", name, cfg, {"x": x}, y)

    adaptive = [
        ([3, 7, 9], [3, 4]),
        ([2, 13, 11], [5, 3]),
        ([2, 7, 7], [1, 1]),
        ([2, 5, 6], [7, 9]),  # output larger than input: overlapping bins
        ([2, 8, 8], [4, 4]),
        ([3, 13], [5]),
        ([2, 5, 7, 6], [2, 3, 4]),
    ]
    for xs, out in adaptive:
        rank = len(xs) - 1
        for op, fn in (("adaptiveAvgPool", AAVG), ("adaptiveMaxPool", AMAX)):
            x = fam.randn(*xs)
            y = fn[rank](x.unsqueeze(0), out)
            if isinstance(y, tuple):
                y = y[0]
            fam.add(op, f"{op}{rank}d x={shape_str(x)} out={fmt(out)}", {"outputSize": out}, {"x": x}, y[0])

    for xs in ([4, 7, 9], [3, 13], [2, 3, 4, 5]):
        x = fam.randn(*xs)
        y = x.mean(dim=tuple(range(1, len(xs))), keepdim=True)
        fam.add("globalAvgPool", f"globalAvgPool x={shape_str(x)}", {}, {"x": x}, y)


# --- norms --------------------------------------------------------------------

def norm_cases(fam):
    for xs in ([4, 5, 7], [6, 11], [3, 2, 3, 4], [10]):
        c = xs[0]
        x = fam.randn(*xs, scale=2.0) + 0.5
        mean, var = fam.randn(c), fam.rand(c, lo=0.2, hi=2.0)
        gamma, beta = fam.randn(c), fam.randn(c)
        xb = x.unsqueeze(0) if len(xs) > 1 else x.unsqueeze(0)
        y = F.batch_norm(xb, mean, var, gamma, beta, training=False, eps=1e-5)[0]
        fam.add("batchNorm", f"batchNorm x={shape_str(x)} eps=1e-5", {"eps": 1e-5},
                {"x": x, "mean": mean, "variance": var, "gamma": gamma, "beta": beta}, y)
    x = fam.randn(3, 4, 5)
    mean, var = fam.randn(3), fam.rand(3, lo=0.2, hi=2.0)
    y = F.batch_norm(x.unsqueeze(0), mean, var, None, None, training=False, eps=1e-3)[0]
    fam.add("batchNorm", "batchNorm x=[3,4,5] eps=1e-3 noaffine", {"eps": 1e-3},
            {"x": x, "mean": mean, "variance": var, "gamma": None, "beta": None}, y)

    # LayerNorm2d (ConvNeXt): over channels at each position, eps 1e-6.
    for xs in ([8, 5, 7], [6, 9], [4, 2, 3, 3]):
        c = xs[0]
        x = fam.randn(*xs, scale=3.0) + 1.0
        gamma, beta = fam.randn(c), fam.randn(c)
        perm = list(range(1, len(xs))) + [0]
        inv = [len(xs) - 1] + list(range(0, len(xs) - 1))
        y = F.layer_norm(x.permute(*perm), (c,), gamma, beta, eps=1e-6).permute(*inv)
        fam.add("layerNorm", f"layerNorm axis=channels x={shape_str(x)} eps=1e-6", {"axis": "channels", "eps": 1e-6},
                {"x": x, "gamma": gamma, "beta": beta}, y)
    for xs, eps in (([16], 1e-5), ([7], 1e-6), ([3, 10], 1e-5)):
        x = fam.randn(*xs, scale=2.0) - 0.3
        gamma, beta = fam.randn(xs[-1]), fam.randn(xs[-1])
        y = F.layer_norm(x, (xs[-1],), gamma, beta, eps=eps)
        fam.add("layerNorm", f"layerNorm axis=last x={shape_str(x)} eps={eps}", {"axis": "last", "eps": eps},
                {"x": x, "gamma": gamma, "beta": beta}, y)

    for xs, groups, affine in (([8, 5, 7], 2, True), ([8, 5, 7], 1, True), ([6, 4, 5], 6, True),
                               ([6, 4, 5], 3, False), ([4, 13], 2, True), ([4, 3, 4, 5], 2, True)):
        c = xs[0]
        x = fam.randn(*xs, scale=2.0) + 0.7
        gamma = fam.randn(c) if affine else None
        beta = fam.randn(c) if affine else None
        y = F.group_norm(x.unsqueeze(0), groups, gamma, beta, eps=1e-5)[0]
        fam.add("groupNorm", f"groupNorm x={shape_str(x)} groups={groups}" + ("" if affine else " noaffine"),
                {"groups": groups, "eps": 1e-5}, {"x": x, "gamma": gamma, "beta": beta}, y)


# --- activations --------------------------------------------------------------

def activation_cases(fam):
    base = torch.cat([fam.rand(3 * 7 * 9 - 13, lo=-8.0, hi=8.0),
                      torch.tensor([0.0, -3.0, 3.0, -6.0, 6.0, 1e-3, -1e-3, 20.0, -20.0, 0.5, -0.5, 2.9999, -2.9999])])
    x = base[torch.randperm(base.numel(), generator=fam.gen)].reshape(3, 7, 9)
    wide = x
    small = fam.randn(2, 5, 4, scale=0.5)
    acts = {
        "relu": F.relu, "relu6": F.relu6, "leakyRelu": F.leaky_relu, "gelu": F.gelu, "silu": F.silu,
        "sigmoid": torch.sigmoid, "hardswish": F.hardswish, "hardsigmoid": F.hardsigmoid,
        "tanh": torch.tanh, "abs": torch.abs,
    }
    for name, fn in acts.items():
        fam.add(name, f"{name} x=[3,7,9] range=[-20,20]", {}, {"x": x}, fn(x))
        fam.add(name, f"{name} x=[2,5,4] range=normal(0,0.5)", {}, {"x": small}, fn(small))
    fam.add("leakyRelu", "leakyRelu x=[3,7,9] slope=0.2", {"slope": 0.2}, {"x": x}, F.leaky_relu(x, 0.2))
    special = torch.tensor([float("inf"), float("-inf"), float("nan"), 0.0, -0.0, 1e-30, -1e-30, 3e38])
    for name, fn in acts.items():
        fam.add(name, f"{name} x=[8] special values (±inf, nan, ±0, tiny, huge)", {}, {"x": special}, fn(special))
    # GELU's tanh approximation (the spec's `gelu approximate=tanh`); no new random draws, so later cases keep their data.
    for name, data in (("x=[3,7,9] range=[-20,20]", x), ("x=[2,5,4] range=normal(0,0.5)", small), ("x=[8] special values", special)):
        fam.add("gelu", f"gelu approximate=tanh {name}", {"approximate": "tanh"}, {"x": data}, F.gelu(data, approximate="tanh"))
    v = fam.randn(13, scale=3.0)
    fam.add("gelu", "gelu x=[13] vector", {}, {"x": v}, F.gelu(v))
    for xs in ([5, 4, 3], [7, 6], [10], [3, 2, 2, 2]):
        x = fam.randn(*xs, scale=4.0)
        fam.add("softmax", f"softmax dim=0 x={shape_str(x)}", {}, {"x": x}, torch.softmax(x, dim=0))
    big = torch.tensor([1000.0, 999.0, -1000.0, 0.0])
    fam.add("softmax", "softmax dim=0 x=[4] large logits", {}, {"x": big}, torch.softmax(big, dim=0))
    # PReLU (`nn.PReLU`): learned slopes, one shared or one per channel (dim 1 once batched). Appended last,
    # so the cases above keep their data.
    def prelu(data, weight):
        return F.prelu(data.unsqueeze(0), weight).squeeze(0)
    shared = torch.tensor([0.25])
    fam.add("prelu", "prelu x=[3,7,9] range=[-20,20] slopes=1 (0.25)", {}, {"x": wide, "weight": shared}, prelu(wide, shared))
    per_channel = fam.randn(3, scale=0.5)
    fam.add("prelu", "prelu x=[3,7,9] range=[-20,20] slopes=3 (one per channel)", {}, {"x": wide, "weight": per_channel}, prelu(wide, per_channel))
    pairs = fam.randn(2, scale=0.5)
    fam.add("prelu", "prelu x=[2,5,4] range=normal(0,0.5) slopes=2", {}, {"x": small, "weight": pairs}, prelu(small, pairs))
    negative = torch.tensor([-0.5])
    fam.add("prelu", "prelu x=[8] special values (±inf, nan, ±0, tiny, huge) slopes=1 (-0.5)", {}, {"x": special, "weight": negative}, prelu(special, negative))
    features = fam.randn(8, scale=0.5)
    fam.add("prelu", "prelu x=[8] special values, slopes=8 (one per feature)", {}, {"x": special, "weight": features}, prelu(special, features))


# --- tensor ops ---------------------------------------------------------------

def tensor_op_cases(fam):
    pairs = [
        ([4, 5, 6], [4, 5, 6]),
        ([4, 1, 1], [4, 5, 6]),
        ([4, 5, 6], [4, 1, 1]),
        ([1, 5, 6], [4, 5, 6]),
        ([6], [4, 5, 6]),
        ([4, 5, 1], [1, 1, 6]),
        ([3, 1], [1, 7]),
        ([1], [3, 4]),
        ([2, 1, 3, 1], [2, 4, 1, 5]),
    ]
    for a_shape, b_shape in pairs:
        a, b = fam.randn(*a_shape), fam.randn(*b_shape)
        fam.add("add", f"add a={shape_str(a)} b={shape_str(b)}", {}, {"a": a, "b": b}, a + b)
        fam.add("mul", f"mul a={shape_str(a)} b={shape_str(b)}", {}, {"a": a, "b": b}, a * b)
    a, b, c = fam.randn(2, 3, 4), fam.randn(5, 3, 4), fam.randn(1, 3, 4)
    fam.add("concat", "concat [2,3,4]+[5,3,4]+[1,3,4]", {}, {"x0": a, "x1": b, "x2": c}, torch.cat([a, b, c], 0))
    a, b = fam.randn(3, 7), fam.randn(4, 7)
    fam.add("concat", "concat [3,7]+[4,7]", {}, {"x0": a, "x1": b}, torch.cat([a, b], 0))
    x = fam.randn(8, 3, 4)
    fam.add("split", "split x=[8,3,4] sizes=(2,5,1)", {"sizes": [2, 5, 1]}, {"x": x}, list(torch.split(x, [2, 5, 1], 0)))
    for c, n in ((8, 2), (7, 4), (5, 2), (5, 4), (6, 3)):
        x = fam.randn(c, 2, 3)
        fam.add("chunk", f"chunk x=[{c},2,3] chunks={n}", {"chunks": n}, {"x": x}, list(torch.chunk(x, n, 0)))
    for c, g in ((6, 3), (8, 2), (12, 4), (5, 1)):
        x = fam.randn(c, 3, 2)
        fam.add("channelShuffle", f"channelShuffle x=[{c},3,2] groups={g}", {"groups": g}, {"x": x},
                F.channel_shuffle(x.unsqueeze(0), g)[0])
    x, gamma = fam.randn(5, 4, 3), fam.randn(5, scale=1e-2)
    fam.add("layerScale", "layerScale x=[5,4,3]", {}, {"x": x, "gamma": gamma}, x * gamma.view(5, 1, 1))
    x = fam.randn(3, 4, 5)
    fam.add("flatten", "flatten x=[3,4,5]", {}, {"x": x}, torch.flatten(x))
    fam.add("dropout", "dropout x=[3,4,5] eval", {}, {"x": x}, F.dropout(x, 0.5, training=False))


# --- linear -------------------------------------------------------------------

def linear_cases(fam):
    for xs, o, has_bias in (([13], 7, True), ([64], 10, False), ([3, 5], 4, True), ([1], 3, True),
                            ([2, 3, 9], 6, True), ([400], 120, True)):
        x = fam.randn(*xs)
        w = fam.randn(o, xs[-1], scale=1.0 / xs[-1] ** 0.5)
        b = fam.randn(o) if has_bias else None
        fam.add("linear", f"linear x={shape_str(x)} w={shape_str(w)}" + ("" if has_bias else " nobias"), {},
                {"x": x, "w": w, "b": b}, F.linear(x, w, b))


# --- resize -------------------------------------------------------------------

def resize_cases(fam):
    table = [
        ([3, 4, 5], "nearest", 2, None),
        ([2, 7, 9], "nearest", None, [11, 13]),
        ([2, 7, 9], "nearest", None, [3, 4]),  # downsampling
        ([2, 5, 7], "nearest", 1.5, None),
        ([2, 5, 6], "nearest", 3, None),
        ([3, 4, 5], "bilinear", 2, None),
        ([2, 4, 5], "bilinear", None, [11, 13]),
        ([2, 7, 9], "bilinear", None, [4, 5]),
        ([2, 5, 7], "bilinear", 1.5, None),
        ([2, 5, 6], "bilinear", [2, 3], None),
        ([3, 7], "nearest", 2, None),
        ([3, 7], "linear", 2, None),
        ([3, 7], "linear", None, [12]),
        ([2, 3, 4, 5], "nearest", 2, None),
        ([2, 3, 4, 5], "trilinear", 2, None),
        ([2, 3, 4, 5], "trilinear", None, [4, 7, 6]),
    ]
    for xs, mode, scale, size in table:
        x = fam.randn(*xs)
        kw = {"mode": mode}
        if mode != "nearest":
            kw["align_corners"] = False
        if scale is not None:
            y = F.interpolate(x.unsqueeze(0), scale_factor=scale, **kw)[0]
        else:
            y = F.interpolate(x.unsqueeze(0), size=size, **kw)[0]
        cfg = {"mode": mode}
        if scale is not None:
            cfg["scale"] = scale
        else:
            cfg["size"] = size
        what = f"scale={fmt(scale)}" if scale is not None else f"size={fmt(size)}"
        fam.add("upsample", f"upsample {mode} x={shape_str(x)} {what}", cfg, {"x": x}, y)


def main():
    families = [
        ("conv", conv_cases), ("conv-transpose", conv_transpose_cases), ("pool", pool_cases),
        ("norm", norm_cases), ("activation", activation_cases), ("tensor-ops", tensor_op_cases),
        ("linear", linear_cases), ("resize", resize_cases),
    ]
    total = 0
    for name, build in families:
        fam = Family(name)
        build(fam)
        path, n = fam.write()
        total += n
        counts = {}
        for c in fam.cases:
            counts[c["op"]] = counts.get(c["op"], 0) + 1
        print(f"{os.path.relpath(path, REPO_ROOT)}: {n} cases ({', '.join(f'{k} {v}' for k, v in counts.items())}), "
              f"{os.path.getsize(path) / 1024:.0f} KB")
    print(f"total {total} cases, torch {torch.__version__}")


if __name__ == "__main__":
    main()
