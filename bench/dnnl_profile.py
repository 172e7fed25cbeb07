"""Where a fused inference pass's time goes, from a DNNL_VERBOSE=1 log of `model-bench inference`.

Usage: OMP_WAIT_POLICY=PASSIVE DNNL_VERBOSE=1 model-bench inference BASE 300 1 N > LOG 2>&1
       python3 bench/dnnl_profile.py LOG [-v]

A pass starts at the convolution on the image (3 input channels); fused passes are those whose convolutions are
`forward_inference` (the unfused training graph's are `forward_training`); the first one, which also reorders the
weights while its kernels are built, is dropped (passes of another length). For each primitive it takes the minimum
and the median over the passes: on a loaded machine the minimum is what the kernel does with both cores, the
median what it did under the load. Prints the totals, the sums by implementation (with GFLOP/s of convolutions at
the minima) and, with -v, every primitive.
"""
import collections
import re
import statistics
import sys

lines = [l.strip().split(",") for l in open(sys.argv[1]) if l.startswith("onednn_verbose,exec")]
passes, current = [], None
for fields in lines:
    if fields[3] == "convolution" and "_ic3o" in fields[-2]:
        current = []
        passes.append(current)
    if current is not None:
        current.append(fields)
fused = [p for p in passes if p[0][5] == "forward_inference"]
length = statistics.mode(len(p) for p in fused)
fused = [p for p in fused if len(p) == length]
print("fused passes", len(fused), "primitives", length, "pass totals ms", ["%.1f" % sum(float(f[-1]) for f in p) for p in fused])
minima = [min(float(p[i][-1]) for p in fused) for i in range(length)]
medians = [statistics.median(float(p[i][-1]) for p in fused) for i in range(length)]


def flops(fields):
    if fields[3] != "convolution":
        return 0
    g = lambda key: int(re.search(key + r"(\d+)", fields[-2]).group(1))
    return 2 * g("mb") * g("ic") * g("oc") * g("oh") * g("ow") * g("kh") * g("kw")


groups = collections.defaultdict(lambda: [0, 0.0, 0.0, 0])
for i, fields in enumerate(fused[-1]):
    key = fields[3] + " " + fields[4] + (" k" + re.search(r"kh(\d+)", fields[-2]).group(1) if fields[3] == "convolution" else "")
    group = groups[key]
    group[0] += 1
    group[1] += minima[i]
    group[2] += medians[i]
    group[3] += flops(fields)
total_flops = sum(flops(f) for f in fused[-1])
print("sum of per-primitive minima %.1f ms, of medians %.1f ms; convolutions %.2f GFLOP, %.1f GFLOP/s at the minima"
      % (sum(minima), sum(medians), total_flops / 1e9, total_flops / sum(minima) / 1e6))
for key, (count, low, middle, work) in sorted(groups.items(), key=lambda item: -item[1][1]):
    rate = " %4.0f GFLOP/s" % (work / low / 1e6) if work else ""
    print("  %-46s n=%3d  min %7.2f ms  median %7.2f ms%s" % (key, count, low, middle, rate))
if "-v" in sys.argv:
    for i, fields in enumerate(fused[-1]):
        print("%8.3f %8.3f  %-12s %-32s %s" % (minima[i], medians[i], fields[3], fields[4], fields[-2]))
