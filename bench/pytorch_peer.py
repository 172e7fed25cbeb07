#!/usr/bin/env python3
"""The same SSD networks as Apiary's ModelCore, in PyTorch eager on CPU: the peer for bench/ figures.

Mirrors Sources/ModelCore/Network/BackboneArchitecture*.swift layer for layer (conv → batch norm → ReLU in
the trunk, extra layers with bias and no batch norm, 3×3 heads with 4 and classes+1 outputs per anchor, VGG's
L2-normalised conv4_3) and measures what model-bench measures: forward + backward time per training step
(random gradients on the outputs, no optimizer) and batch-1 inference latency, with 2 threads.

Usage: pytorch_peer.py BASE_NETWORK IMAGE_SHAPE BATCH ITERATIONS                    (prints one JSON line)
       pytorch_peer.py BASE_NETWORK IMAGE_SHAPE BATCH ITERATIONS --inference-only   inference latency at BATCH only
"""
import json
import resource
import sys
import time

import torch
import torch.nn as nn

torch.set_num_threads(2)
RATIOS = [[1, 2, 0.5]] + [[1, 2, 0.5, 3, 1 / 3]] * 3 + [[1, 2, 0.5]] * 2
ANCHORS = [2 + len(r) - 1 for r in RATIOS]


def conv(cin, cout, k, stride=1, padding=None, dilation=1, bn=True, relu=True):
    padding = (k // 2) * dilation if padding is None else padding
    layers = [nn.Conv2d(cin, cout, k, stride, padding, dilation, bias=not bn)]
    if bn:
        layers.append(nn.BatchNorm2d(cout))
    if relu:
        layers.append(nn.ReLU())
    return layers


def extra(cin, reduce, out, stride=2, padding=1):
    return nn.Sequential(*conv(cin, reduce, 1, bn=False), *conv(reduce, out, 3, stride, padding, bn=False))


def apiary_mobile():
    s1 = conv(3, 16, 3, 2) + conv(16, 32, 3, 2) + conv(32, 32, 3) + conv(32, 64, 3, 2) + conv(64, 64, 3) + conv(64, 64, 3)
    s2 = conv(64, 128, 3, 2) + conv(128, 128, 3) + conv(128, 128, 3)
    stages = [nn.Sequential(*s1), nn.Sequential(*s2), nn.Sequential(*conv(128, 128, 3, 2), *conv(128, 128, 3)),
              nn.Sequential(*conv(128, 128, 3, 2, bn=False), *conv(128, 128, 3, bn=False)),
              nn.Sequential(*conv(128, 128, 3, 2, bn=False)), nn.Sequential(*conv(128, 128, 3, 1, 0, bn=False))]
    return stages, [64, 128, 128, 128, 128, 128], False


def vgg16():
    trunk, c = [], 3
    for block, (width, depth) in enumerate([(64, 2), (128, 2), (256, 3), (512, 3)]):
        for _ in range(depth):
            trunk += conv(c, width, 3)
            c = width
        if block < 3:
            trunk.append(nn.MaxPool2d(2, 2, ceil_mode=block == 2))
    fc7 = [nn.MaxPool2d(2, 2)]
    for _ in range(3):
        fc7 += conv(512, 512, 3)
    fc7 += [nn.MaxPool2d(3, 1, 1)] + conv(512, 1024, 3, dilation=6) + conv(1024, 1024, 1)
    stages = [nn.Sequential(*trunk), nn.Sequential(*fc7), extra(1024, 256, 512), extra(512, 128, 256),
              extra(256, 128, 256, 1, 0), extra(256, 128, 256, 1, 0)]
    return stages, [512, 1024, 512, 256, 256, 256], True


class Bottleneck(nn.Module):
    def __init__(self, cin, width, stride, project):
        super().__init__()
        self.branch = nn.Sequential(*conv(cin, width, 1), *conv(width, width, 3, stride), *conv(width, width * 4, 1, relu=False))
        self.shortcut = nn.Sequential(*conv(cin, width * 4, 1, stride, relu=False)) if project else None
        self.relu = nn.ReLU()

    def forward(self, x):
        return self.relu(self.branch(x) + (self.shortcut(x) if self.shortcut is not None else x))


def resnet50():
    layers, c = conv(3, 64, 7, 2) + [nn.MaxPool2d(3, 2, 1)], 64
    stages = []
    for stage, (units, width) in enumerate([(3, 64), (4, 128), (6, 256), (3, 512)]):
        for unit in range(units):
            stride = (1 if stage == 0 else 2) if unit == 0 else 1
            layers.append(Bottleneck(c, width, stride, unit == 0))
            c = width * 4
        if stage >= 2:
            stages.append(nn.Sequential(*layers))
            layers = []
    stages += [extra(2048, 256, 512), extra(512, 128, 256), extra(256, 128, 256), extra(256, 64, 128)]
    return stages, [1024, 2048, 512, 256, 256, 128], False


class L2Norm(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.scale = nn.Parameter(torch.full((channels,), 20.0))

    def forward(self, x):
        return x / (x.pow(2).sum(1, keepdim=True) + 1e-10).sqrt() * self.scale.view(1, -1, 1, 1)


class SSD(nn.Module):
    def __init__(self, base, classes):
        super().__init__()
        stages, channels, norm = {"apiary-mobile": apiary_mobile, "vgg-16": vgg16, "resnet-50": resnet50}[base]()
        self.stages = nn.ModuleList(stages)
        self.norm = L2Norm(channels[0]) if norm else None
        self.loc = nn.ModuleList(nn.Conv2d(c, a * 4, 3, padding=1) for c, a in zip(channels, ANCHORS))
        self.cls = nn.ModuleList(nn.Conv2d(c, a * (classes + 1), 3, padding=1) for c, a in zip(channels, ANCHORS))
        self.classes = classes

    def forward(self, x):
        locs, logits = [], []
        for i, stage in enumerate(self.stages):
            x = stage(x)
            f = self.norm(x) if i == 0 and self.norm is not None else x
            locs.append(self.loc[i](f).permute(0, 2, 3, 1).reshape(x.shape[0], -1, 4))
            logits.append(self.cls[i](f).permute(0, 2, 3, 1).reshape(x.shape[0], -1, self.classes + 1))
        return torch.cat(locs, 1), torch.cat(logits, 1)


def inference_latency(net, images, iterations):
    """Median eval-mode, no-grad forward time of `images` after one warm-up pass."""
    net.eval()
    with torch.no_grad():
        net(images)
        latencies = []
        for _ in range(max(5, iterations)):
            start = time.perf_counter()
            net(images)
            latencies.append(time.perf_counter() - start)
    return sorted(latencies)[len(latencies) // 2]


def main():
    base, size, batch, iterations = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    torch.manual_seed(1)
    net = SSD(base, 1)
    images = torch.rand(batch, 3, size, size) - 0.5
    if sys.argv[5:] == ["--inference-only"]:
        latency = inference_latency(net, images, iterations)
        print(json.dumps({"impl": "pytorch", "base_network": base, "image_shape": size, "batch": batch,
                          "inference_ms": latency * 1000, "torch": torch.__version__, "threads": torch.get_num_threads()}))
        return
    net.train()
    loc, cls = net(images)
    gl, gc = torch.rand_like(loc) * 1e-3, torch.rand_like(cls) * 1e-3
    times = []
    for i in range(iterations + 1):
        start = time.perf_counter()
        net.zero_grad(set_to_none=True)
        loc, cls = net(images)
        torch.autograd.backward([loc, cls], [gl, gc])
        if i > 0:
            times.append(time.perf_counter() - start)
    step = sorted(times)[len(times) // 2]
    latency = inference_latency(net, images[:1].contiguous(), iterations)
    print(json.dumps({"impl": "pytorch", "base_network": base, "image_shape": size, "batch": batch,
                      "train_images_per_s": batch / step, "train_step_s": step, "inference_batch1_ms": latency * 1000,
                      "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      "torch": torch.__version__, "threads": torch.get_num_threads()}))


if __name__ == "__main__":
    main()
