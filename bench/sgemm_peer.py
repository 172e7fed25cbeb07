#!/usr/bin/env python3
"""The machine's sgemm rate, the yardstick for ModelCore's convolution GFLOP/s (docs/performance.md).

numpy's OpenBLAS, 2 threads, 2048³ float32 matrix product, median of 7 after a warm-up. Run with
OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset (they slow a current OpenBLAS): see the command in the doc.
"""
import json
import time

import numpy as np

a = np.random.rand(2048, 2048).astype(np.float32)
b = np.random.rand(2048, 2048).astype(np.float32)
np.dot(a, b)
times = []
for _ in range(7):
    start = time.perf_counter()
    np.dot(a, b)
    times.append(time.perf_counter() - start)
print(json.dumps({"impl": "numpy-openblas sgemm 2048^3", "gflops": 2 * 2048**3 / sorted(times)[3] / 1e9}))
