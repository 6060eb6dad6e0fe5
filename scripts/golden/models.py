#!/usr/bin/env python3
"""Model goldens for ConvLens.

Builds a fixed set of reference networks in PyTorch (eval mode, batch 1),
records every leaf module call (input/output shape, own parameter count, MACs)
and writes one JSON file per model to test/golden/models/<id>.json.

Run from anywhere:  python3 scripts/golden/models.py
(needs torch + torchvision; see scripts/golden/README.md)

MACs convention (multiply-accumulates, no bias, matching the way torchvision's
published "GFLOPS" figures count multiply-adds):
  Conv*d           output numel x (C_in / groups) x prod(kernel)
  ConvTranspose*d  input numel  x (C_out / groups) x prod(kernel)
  Linear           (output numel / out_features) x in_features x out_features
  anything else    0
"""

import os
import sys

try:
    import torch
    import torchvision
except ImportError:
    # A pyenv/venv python3 may shadow Debian's, which is where the apt
    # packages python3-torch/python3-torchvision install. Retry with it.
    _debian = "/usr/bin/python3"
    if os.path.realpath(sys.executable) != os.path.realpath(_debian) and os.path.exists(_debian):
        os.execv(_debian, [_debian] + sys.argv)
    raise

import json
import math

from torch import nn

COMMAND = "python3 scripts/golden/models.py"
REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT_DIR = os.path.join(REPO_ROOT, "test", "golden", "models")

# Leaf module types that are pure reshuffles with no counterpart in a .cnn file.
SKIPPED_TYPES = {"Permute", "Identity"}


# --------------------------------------------------------------------------
# Hand-written models (children declared and called in execution order, so
# named_modules() order == call order and the .cnn samples can mirror them).
# --------------------------------------------------------------------------

class LeNet5(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5)
        self.act1 = nn.Tanh()
        self.pool1 = nn.AvgPool2d(2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.act2 = nn.Tanh()
        self.pool2 = nn.AvgPool2d(2)
        self.flatten = nn.Flatten()
        self.fc1 = nn.Linear(400, 120)
        self.act3 = nn.Tanh()
        self.fc2 = nn.Linear(120, 84)
        self.act4 = nn.Tanh()
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = self.pool1(self.act1(self.conv1(x)))
        x = self.pool2(self.act2(self.conv2(x)))
        x = self.flatten(x)
        x = self.act3(self.fc1(x))
        x = self.act4(self.fc2(x))
        return self.fc3(x)


class Edges(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 4, 3, padding=1, bias=False)
        self.relu = nn.ReLU()

    def forward(self, x):
        return self.relu(self.conv(x))


class AudioM5(nn.Module):
    """M5 raw-waveform classifier in the style of the torchaudio tutorial."""

    def __init__(self, n_input=1, n_output=35, stride=16, n_channel=32):
        super().__init__()
        c = n_channel
        self.conv1 = nn.Conv1d(n_input, c, kernel_size=80, stride=stride)
        self.bn1 = nn.BatchNorm1d(c)
        self.relu1 = nn.ReLU()
        self.pool1 = nn.MaxPool1d(4)
        self.conv2 = nn.Conv1d(c, c, kernel_size=3)
        self.bn2 = nn.BatchNorm1d(c)
        self.relu2 = nn.ReLU()
        self.pool2 = nn.MaxPool1d(4)
        self.conv3 = nn.Conv1d(c, 2 * c, kernel_size=3)
        self.bn3 = nn.BatchNorm1d(2 * c)
        self.relu3 = nn.ReLU()
        self.pool3 = nn.MaxPool1d(4)
        self.conv4 = nn.Conv1d(2 * c, 2 * c, kernel_size=3)
        self.bn4 = nn.BatchNorm1d(2 * c)
        self.relu4 = nn.ReLU()
        self.pool4 = nn.MaxPool1d(4)
        self.avgpool = nn.AdaptiveAvgPool1d(1)
        self.flatten = nn.Flatten()
        self.fc = nn.Linear(2 * c, n_output)

    def forward(self, x):
        x = self.pool1(self.relu1(self.bn1(self.conv1(x))))
        x = self.pool2(self.relu2(self.bn2(self.conv2(x))))
        x = self.pool3(self.relu3(self.bn3(self.conv3(x))))
        x = self.pool4(self.relu4(self.bn4(self.conv4(x))))
        x = self.flatten(self.avgpool(x))
        return self.fc(x)


class Volume3d(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv3d(1, 16, 3, padding=1)
        self.bn1 = nn.BatchNorm3d(16)
        self.relu1 = nn.ReLU()
        self.pool1 = nn.MaxPool3d(2)
        self.conv2 = nn.Conv3d(16, 32, 3, padding=1)
        self.bn2 = nn.BatchNorm3d(32)
        self.relu2 = nn.ReLU()
        self.pool2 = nn.MaxPool3d(2)
        self.conv3 = nn.Conv3d(32, 64, 3, padding=1)
        self.relu3 = nn.ReLU()
        self.avgpool = nn.AdaptiveAvgPool3d(1)
        self.flatten = nn.Flatten()
        self.fc = nn.Linear(64, 5)

    def forward(self, x):
        x = self.pool1(self.relu1(self.bn1(self.conv1(x))))
        x = self.pool2(self.relu2(self.bn2(self.conv2(x))))
        x = self.relu3(self.conv3(x))
        x = self.flatten(self.avgpool(x))
        return self.fc(x)


class DoubleConv(nn.Module):
    """[Conv2d 3x3 pad 1, BatchNorm2d, ReLU] x 2 (bias kept, PyTorch default)."""

    def __init__(self, c_in, c_out):
        super().__init__()
        self.conv1 = nn.Conv2d(c_in, c_out, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(c_out)
        self.relu1 = nn.ReLU()
        self.conv2 = nn.Conv2d(c_out, c_out, 3, padding=1)
        self.bn2 = nn.BatchNorm2d(c_out)
        self.relu2 = nn.ReLU()

    def forward(self, x):
        x = self.relu1(self.bn1(self.conv1(x)))
        return self.relu2(self.bn2(self.conv2(x)))


class UNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc1 = DoubleConv(1, 16)
        self.pool1 = nn.MaxPool2d(2)
        self.enc2 = DoubleConv(16, 32)
        self.pool2 = nn.MaxPool2d(2)
        self.bottleneck = DoubleConv(32, 64)
        self.up2 = nn.ConvTranspose2d(64, 32, 2, stride=2)
        self.dec2 = DoubleConv(64, 32)
        self.up1 = nn.ConvTranspose2d(32, 16, 2, stride=2)
        self.dec1 = DoubleConv(32, 16)
        self.head = nn.Conv2d(16, 2, 1)

    def forward(self, x):
        e1 = self.enc1(x)
        e2 = self.enc2(self.pool1(e1))
        b = self.bottleneck(self.pool2(e2))
        d2 = self.dec2(torch.cat([self.up2(b), e2], dim=1))
        d1 = self.dec1(torch.cat([self.up1(d2), e1], dim=1))
        return self.head(d1)


# id, constructor, input shape (no batch), expected total params (None = no
# published figure), torchvision's published GFLOPS (None = not applicable).
MODELS = [
    ("lenet5", LeNet5, [1, 32, 32], 61_706, None),
    ("alexnet", lambda: torchvision.models.alexnet(weights=None), [3, 224, 224], 61_100_840, 0.71),
    ("vgg16", lambda: torchvision.models.vgg16(weights=None), [3, 224, 224], 138_357_544, 15.47),
    ("resnet18", lambda: torchvision.models.resnet18(weights=None), [3, 224, 224], 11_689_512, 1.81),
    ("resnet50", lambda: torchvision.models.resnet50(weights=None), [3, 224, 224], 25_557_032, 4.09),
    ("mobilenet_v2", lambda: torchvision.models.mobilenet_v2(weights=None), [3, 224, 224], 3_504_872, 0.30),
    ("convnext_tiny", lambda: torchvision.models.convnext_tiny(weights=None), [3, 224, 224], 28_589_128, 4.46),
    ("edges", Edges, [1, 128, 128], None, None),
    ("audio_m5", AudioM5, [1, 8000], None, None),
    ("volume3d", Volume3d, [1, 16, 64, 64], None, None),
    ("unet", UNet, [1, 64, 64], None, None),
]


# --------------------------------------------------------------------------
# Tracing
# --------------------------------------------------------------------------

def own_params(module):
    return sum(p.numel() for p in module.parameters(recurse=False))


def macs_of(module, in_shape, out_shape):
    if isinstance(module, nn.modules.conv._ConvNd):
        k = math.prod(module.kernel_size)
        if module.transposed:
            return math.prod(in_shape) * (module.out_channels // module.groups) * k
        return math.prod(out_shape) * (module.in_channels // module.groups) * k
    if isinstance(module, nn.Linear):
        return math.prod(out_shape) // module.out_features * module.in_features * module.out_features
    return 0


def shape_of(t):
    # Drop the batch dimension.
    return [int(d) for d in t.shape[1:]]


def trace(model, input_shape):
    layers = []
    handles = []

    def leaf_hook(name):
        def hook(module, inputs, output):
            in_shape = shape_of(inputs[0])
            out_shape = shape_of(output)
            layers.append({
                "module": name,
                "type": type(module).__name__,
                "inputShape": in_shape,
                "outputShape": out_shape,
                "params": own_params(module),
                "macs": macs_of(module, in_shape, out_shape),
            })
        return hook

    def layer_scale_hook(block_path, block_module):
        def hook(module, inputs, output):
            shape = shape_of(output)
            layers.append({
                "module": block_path + ".layer_scale",
                "type": "LayerScale",
                "inputShape": shape,
                "outputShape": shape,
                "params": block_module.layer_scale.numel(),
                "macs": 0,
            })
        return hook

    for name, module in model.named_modules():
        if next(module.children(), None) is None:
            if type(module).__name__ not in SKIPPED_TYPES:
                handles.append(module.register_forward_hook(leaf_hook(name)))
        elif own_params(module):
            # A container that owns parameters directly. The only one among
            # these models is torchvision's ConvNeXt CNBlock (layer_scale).
            if type(module).__name__ != "CNBlock":
                raise RuntimeError(f"unexpected parameters on non-leaf {name} ({type(module).__name__})")
            handles.append(module.block.register_forward_hook(layer_scale_hook(name, module)))

    with torch.no_grad():
        out = model(torch.zeros([1] + list(input_shape)))
    for h in handles:
        h.remove()
    return shape_of(out), layers


# --------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------

def compact(obj):
    return json.dumps(obj, separators=(", ", ": "))


def render(doc):
    lines = ["{"]
    keys = [k for k in doc if k != "layers"]
    for k in keys:
        lines.append(f"  {compact(k)}: {compact(doc[k])},")
    lines.append('  "layers": [')
    n = len(doc["layers"])
    for i, layer in enumerate(doc["layers"]):
        lines.append("    " + compact(layer) + ("," if i < n - 1 else ""))
    lines.append("  ]")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main():
    torch.manual_seed(0)
    os.makedirs(OUT_DIR, exist_ok=True)
    rows = []
    failures = []
    for model_id, build, input_shape, expected_params, published_gflops in MODELS:
        model = build()
        model.eval()
        output_shape, layers = trace(model, input_shape)

        total_params = sum(p.numel() for p in model.parameters())
        layer_params = sum(l["params"] for l in layers)
        assert total_params == layer_params, (
            f"{model_id}: model.parameters() = {total_params} but per-layer sum = {layer_params}")
        if expected_params is not None and total_params != expected_params:
            failures.append(f"{model_id}: {total_params} params, expected {expected_params}")
        total_macs = sum(l["macs"] for l in layers)

        doc = {
            "id": model_id,
            "command": COMMAND,
            "torch": torch.__version__,
            "torchvision": torchvision.__version__,
            "input": list(input_shape),
            "output": output_shape,
            "totalParams": total_params,
            "totalMacs": total_macs,
            "layers": layers,
        }
        with open(os.path.join(OUT_DIR, model_id + ".json"), "w", encoding="utf-8", newline="\n") as f:
            f.write(render(doc))
        rows.append((model_id, total_params, total_macs, published_gflops, len(layers)))

    print(f"torch {torch.__version__}, torchvision {torchvision.__version__}")
    print(f"{'id':<14} {'params':>13} {'MACs':>15} {'GMACs':>8} {'published':>9} {'diff':>7} {'layers':>6}")
    for model_id, params, macs, pub, n in rows:
        g = macs / 1e9
        if pub is not None:
            diff = (g - pub) / pub * 100
            pub_s, diff_s = f"{pub:.2f}", f"{diff:+.2f}%"
            # Published figures are rounded to 2 decimals.
            if abs(g - pub) > 0.005 + 1e-9:
                failures.append(f"{model_id}: {g:.4f} GMACs vs published {pub:.2f}")
        else:
            pub_s, diff_s = "-", "-"
        print(f"{model_id:<14} {params:>13,} {macs:>15,} {g:>8.4f} {pub_s:>9} {diff_s:>7} {n:>6}")
    if failures:
        print("\nSANITY CHECK FAILURES:\n  " + "\n  ".join(failures), file=sys.stderr)
        sys.exit(1)
    print(f"\nwrote {len(rows)} files to {os.path.relpath(OUT_DIR, REPO_ROOT)}/")


if __name__ == "__main__":
    main()
