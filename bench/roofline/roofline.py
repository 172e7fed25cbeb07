#!/usr/bin/env python3
"""The layers of Apiary's SSD networks on this machine's roofline.

Builds the PyTorch mirror of a network (bench/pytorch_peer.py, same layers as ModelCore), records every
layer's forward FLOPs and the bytes it must move at least (fp32 input + weights + output, once each), and
places each layer at its arithmetic intensity under min(peak, intensity × bandwidth). The sum over layers of
max(FLOPs / peak, bytes / bandwidth) is the fastest a forward pass can be on this machine; a training step does
about three times the forward work (forward, backward-data, backward-weights).

Usage: roofline.py PEAK_GFLOPS BANDWIDTH_GBS OUT.png [BASE:SIZE:BATCH:MEASURED_TRAIN_IMG_S ...] [measured=BASE:BATCH:LOG ...]
Prints one JSON line per network (FLOPs, bound, share of time in memory-bound layers) and writes the figure.
`measured=BASE:BATCH:LOG` adds what each convolution of BASE achieved in a `DNNL_VERBOSE=1 model-bench network` log:
per shape and pass (forward, backward data, backward weights), its fastest execution at batch BATCH, as counted
(direct-convolution) FLOPs over time, at the intensity of the bytes it moves; prints one JSON line per pass.
Elementwise layers are counted at 1 FLOP (ReLU), 8 (batch norm, training) and k² (max pool) per output.
"""
import collections
import json
import os
import re
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import torch
import torch.nn as nn

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import pytorch_peer  # noqa: E402


def layers(base, size, batch):
    """(kind, forward FLOPs, minimal bytes) for every layer of the mirror in execution order."""
    net = pytorch_peer.SSD(base, 1)
    rows = []

    def hook(module, inputs, output):
        if isinstance(module, nn.Conv2d):
            kind = "conv 1×1" if module.kernel_size == (1, 1) else "conv %d×%d" % module.kernel_size
            flops = 2 * output.numel() * module.in_channels // module.groups * module.kernel_size[0] * module.kernel_size[1]
        elif isinstance(module, nn.BatchNorm2d):
            kind, flops = "batch norm", 8 * output.numel()
        elif isinstance(module, nn.ReLU):
            kind, flops = "relu", output.numel()
        elif isinstance(module, nn.MaxPool2d):
            kind, flops = "max pool", output.numel() * module.kernel_size ** 2
        else:
            return
        moved = 4 * (inputs[0].numel() + output.numel() + sum(p.numel() for p in module.parameters(recurse=False)))
        rows.append((kind, flops, moved))

    for module in net.modules():
        module.register_forward_hook(hook)
    with torch.no_grad():
        net(torch.zeros(batch, 3, size, size))
    return rows


SHAPE = re.compile(r"mb(\d+)(?:_g(\d+))?_ic(\d+)oc(\d+)_ih(\d+)oh(\d+)kh(\d+)\D.*_iw(\d+)ow(\d+)kw(\d+)")
PASSES = {"forward_training": "forward", "backward_data": "backward data", "backward_weights": "backward weights"}


def measured_convolutions(log, batch):
    """{pass: [(FLOPs, bytes, fastest seconds)]} for every convolution shape executed at `batch` in a DNNL_VERBOSE log."""
    fastest = {}
    for line in open(log):
        fields = line.strip().split(",")
        if not line.startswith("onednn_verbose,exec") or fields[3] != "convolution" or fields[5] not in PASSES:
            continue
        match = SHAPE.search(line)
        if not match or int(match.group(1)) != batch:
            continue
        key = (PASSES[fields[5]], match.groups())
        fastest[key] = min(fastest.get(key, float("inf")), float(fields[-1]) / 1000)
    passes = collections.defaultdict(list)
    for (kind, shape), seconds in fastest.items():
        mb, groups, ic, oc, ih, oh, kh, iw, ow, kw = (int(x) if x else 1 for x in shape)
        flops = 2 * mb * oc * oh * ow * ic // groups * kh * kw
        moved = 4 * (mb * ic * ih * iw + oc * ic // groups * kh * kw + mb * oc * oh * ow)
        passes[kind].append((flops, moved, seconds))
    return passes


def main():
    peak, bandwidth, out = float(sys.argv[1]) * 1e9, float(sys.argv[2]) * 1e9, sys.argv[3]
    specs = [a for a in sys.argv[4:] if not a.startswith("measured=")]
    measurements = [a[len("measured="):].split(":", 2) for a in sys.argv[4:] if a.startswith("measured=")]
    networks = [spec.split(":") for spec in specs] or [["resnet-50", "300", "8", "0"], ["apiary-mobile", "300", "16", "0"]]
    figure, axis = plt.subplots(figsize=(9, 6))
    intensities = [2 ** (i / 4) for i in range(-16, 48)]
    axis.plot(intensities, [min(peak, i * bandwidth) / 1e9 for i in intensities], "k-", label="roofline (FMA peak, triad bandwidth)")
    colours = {"resnet-50": "tab:red", "apiary-mobile": "tab:blue", "vgg-16": "tab:green"}
    markers = {"conv 1×1": "s", "conv 3×3": "o", "conv 7×7": "D", "batch norm": "^", "relu": "v", "max pool": "x"}
    for index, (base, size, batch, measured) in enumerate(networks):
        rows = layers(base, int(size), int(batch))
        bound = sum(max(f / peak, b / bandwidth) for _, f, b in rows)
        memory_bound = sum(b / bandwidth for _, f, b in rows if b / bandwidth > f / peak)
        flops = sum(f for _, f, _ in rows)
        conv_flops = sum(f for k, f, _ in rows if k.startswith("conv"))
        record = {"base_network": base, "image_shape": int(size), "batch": int(batch), "forward_gflop": flops / 1e9,
                  "conv_forward_gflop": conv_flops / 1e9, "forward_bound_s": bound,
                  "memory_bound_share_of_bound": memory_bound / bound,
                  "train_bound_img_s": int(batch) / (3 * bound)}
        if float(measured) > 0:
            achieved = 3 * conv_flops / (int(batch) / float(measured)) / 1e9
            record |= {"measured_train_img_s": float(measured), "measured_train_gflops": achieved,
                       "share_of_train_bound": float(measured) / record["train_bound_img_s"]}
            axis.axhline(achieved, color=colours.get(base, "grey"), linestyle=":", linewidth=1)
            # Labels of lines that nearly coincide go one above the other.
            axis.text(intensities[0], achieved * (1.05 if index % 2 == 0 else 0.88), f"{base} training, measured {achieved:.0f} GFLOP/s", color=colours.get(base, "grey"), fontsize=8)
        print(json.dumps(record))
        for kind in markers:
            points = [(f / b, min(peak, f / b * bandwidth) / 1e9, max(f / peak, b / bandwidth)) for k, f, b in rows if k == kind]
            if points:
                axis.scatter([p[0] for p in points], [p[1] for p in points], s=[max(8, 600 * p[2] / bound) for p in points],
                             marker=markers[kind], color=colours.get(base, "grey"), alpha=0.6,
                             label=f"{base} {kind}" if kind.startswith("conv") or base == networks[0][0] else None)
    pass_markers = {"forward": "o", "backward data": "<", "backward weights": ">"}
    for base, batch, log in measurements:
        for kind, rows in measured_convolutions(log, int(batch)).items():
            flops, seconds = sum(f for f, _, _ in rows), sum(t for _, _, t in rows)
            print(json.dumps({"base_network": base, "batch": int(batch), "pass": kind, "shapes": len(rows),
                              "gflop": flops / 1e9, "seconds": seconds, "achieved_gflops": flops / seconds / 1e9}))
            axis.scatter([f / b for f, b, _ in rows], [f / t / 1e9 for f, _, t in rows], marker=pass_markers[kind],
                         facecolors="none", edgecolors=colours.get(base, "grey"), s=30,
                         label=f"{base} {kind}, measured (DNNL_VERBOSE)")
    axis.set_xscale("log", base=2)
    axis.set_yscale("log", base=10)
    axis.set_xlabel("arithmetic intensity (FLOP per byte moved, fp32, forward)")
    axis.set_ylabel("attainable GFLOP/s (2 cores)")
    axis.set_title(f"Roofline: peak {peak / 1e9:.0f} GFLOP/s, {bandwidth / 1e9:.0f} GB/s; layers at their bound (area ∝ share of the bound time)")
    axis.grid(True, which="both", alpha=0.3)
    axis.legend(fontsize=7, loc="lower right")
    figure.tight_layout()
    figure.savefig(out, dpi=110)


if __name__ == "__main__":
    main()
