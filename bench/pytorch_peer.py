#!/usr/bin/env python3
"""The same SSD networks as Apiary's ModelCore, in PyTorch on CPU (and ONNX Runtime for inference): the peer
for bench/ figures, at its best.

Mirrors Sources/ModelCore/Network/BackboneArchitecture*.swift layer for layer (conv → batch norm → ReLU in
the trunk, extra layers with bias and no batch norm, 3×3 heads with 4 and classes+1 outputs per anchor, VGG's
L2-normalised conv4_3) and measures what model-bench measures: forward + backward time per training step
(random gradients on the outputs, no optimizer) and batch-1 inference latency, with 2 threads. Run it with
PyTorch's default OpenMP policy (do not export OMP_WAIT_POLICY=PASSIVE for it: that slows PyTorch down).

Usage: pytorch_peer.py BASE IMAGE_SHAPE BATCH ITERATIONS [--variant V]      training step + batch-1 inference,
           V = eager (default) | channels-last | compiled (torch.compile, default mode)   one JSON line
       pytorch_peer.py BASE IMAGE_SHAPE BATCH ITERATIONS --inference-only [--variant V]   inference at BATCH only;
           V may also be onnxruntime (the mirror exported to ONNX, ONNX Runtime CPU, 2 intra-op threads; with
           OMP_WAIT_POLICY=PASSIVE its threads do not spin either: session.intra_op.allow_spinning=0)
       pytorch_peer.py BASE IMAGE_SHAPE BATCH 0 --flops   FLOPs of a forward pass and of a training step
           (torch.utils.flop_counter.FlopCounterMode: convolutions and matrix products, 2 per multiply-add)
"""
import argparse
import json
import os
import resource
import tempfile
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


def median_seconds(step, iterations):
    """Median wall time of `step` over `iterations` runs after one warm-up run."""
    step()
    times = []
    for _ in range(iterations):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return sorted(times)[len(times) // 2]


def prepared(net, images, variant):
    """The network and input as `variant` runs them: channels-last memory format, or compiled."""
    if variant in ("channels-last", "compiled"):
        net = net.to(memory_format=torch.channels_last)
        images = images.contiguous(memory_format=torch.channels_last)
    if variant == "compiled":
        net = torch.compile(net)
    return net, images


def inference_latency(net, images, iterations, variant):
    """Median eval-mode, no-grad forward time of `images` after one warm-up pass."""
    net.eval()
    if variant == "onnxruntime":
        return onnx_latency(net, images, iterations)
    net, images = prepared(net, images, variant)
    with torch.no_grad():
        return median_seconds(lambda: net(images), max(5, iterations))


def onnx_latency(net, images, iterations):
    """The mirror exported to ONNX and run by ONNX Runtime's CPU provider, all graph optimizations, 2 threads."""
    import onnxruntime

    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "ssd.onnx")
        torch.onnx.export(net, (images,), path, input_names=["images"], dynamo=False)
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 2
        options.inter_op_num_threads = 1
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        if os.environ.get("OMP_WAIT_POLICY", "").upper() == "PASSIVE":
            options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        session = onnxruntime.InferenceSession(path, options, providers=["CPUExecutionProvider"])
    feed = {"images": images.numpy()}
    return median_seconds(lambda: session.run(None, feed), max(5, iterations))


def flops(net, images):
    """FLOPs of one training-mode forward pass and of a forward + backward step, by PyTorch's flop counter."""
    from torch.utils.flop_counter import FlopCounterMode

    net.train()
    with FlopCounterMode(display=False) as forward:
        net(images)
    with FlopCounterMode(display=False) as step:
        loc, cls = net(images)
        torch.autograd.backward([loc, cls], [torch.ones_like(loc), torch.ones_like(cls)])
    return forward.get_total_flops(), step.get_total_flops()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("size", type=int)
    parser.add_argument("batch", type=int)
    parser.add_argument("iterations", type=int)
    parser.add_argument("--inference-only", action="store_true")
    parser.add_argument("--variant", default="eager", choices=["eager", "channels-last", "compiled", "onnxruntime"])
    parser.add_argument("--flops", action="store_true")
    arguments = parser.parse_args()
    base, size, batch, iterations, variant = arguments.base, arguments.size, arguments.batch, arguments.iterations, arguments.variant
    torch.manual_seed(1)
    net = SSD(base, 1)
    images = torch.rand(batch, 3, size, size) - 0.5
    record = {"impl": "pytorch" if variant != "onnxruntime" else "onnxruntime", "variant": variant, "base_network": base,
              "image_shape": size, "batch": batch, "torch": torch.__version__, "threads": torch.get_num_threads(),
              "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY", "default")}
    if variant == "onnxruntime":
        import onnxruntime

        record["onnxruntime"] = onnxruntime.__version__
    if arguments.flops:
        forward, step = flops(net, images)
        print(json.dumps(record | {"forward_gflop": forward / 1e9, "train_step_gflop": step / 1e9}))
        return
    if arguments.inference_only:
        latency = inference_latency(net, images, iterations, variant)
        print(json.dumps(record | {"inference_ms": latency * 1000}))
        return
    assert variant != "onnxruntime", "ONNX Runtime is an inference peer"
    single = images[:1].clone()
    net.train()
    train_net, train_images = prepared(net, images, variant)
    loc, cls = train_net(train_images)
    gl, gc = torch.rand_like(loc) * 1e-3, torch.rand_like(cls) * 1e-3

    def step():
        net.zero_grad(set_to_none=True)
        loc, cls = train_net(train_images)
        torch.autograd.backward([loc, cls], [gl, gc])

    seconds = median_seconds(step, iterations)
    latency = inference_latency(net, single, iterations, variant)
    print(json.dumps(record | {"train_images_per_s": batch / seconds, "train_step_s": seconds, "inference_batch1_ms": latency * 1000,
                               "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


if __name__ == "__main__":
    main()
