// FP32 peak of this machine: a tight loop of independent AVX2 FMAs (12 accumulators, enough to cover the FMA
// latency on both pipes), one OpenMP thread per core. Prints GFLOP/s per thread count as JSON: by wall time, and
// per CPU-second of each thread (what a core does while it runs, which a machine loaded by other processes
// cannot hide).
// Build: gcc -O2 -march=haswell -fopenmp bench/roofline/peak_fma.c -o /tmp/peak_fma
#include <immintrin.h>
#include <omp.h>
#include <stdio.h>
#include <time.h>

static double cpu_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

#define FMA12(x, y)                                                                                        \
    a0 = _mm256_fmadd_ps(a0, x, y), a1 = _mm256_fmadd_ps(a1, x, y), a2 = _mm256_fmadd_ps(a2, x, y),     \
    a3 = _mm256_fmadd_ps(a3, x, y), a4 = _mm256_fmadd_ps(a4, x, y), a5 = _mm256_fmadd_ps(a5, x, y),     \
    a6 = _mm256_fmadd_ps(a6, x, y), a7 = _mm256_fmadd_ps(a7, x, y), a8 = _mm256_fmadd_ps(a8, x, y),     \
    a9 = _mm256_fmadd_ps(a9, x, y), a10 = _mm256_fmadd_ps(a10, x, y), a11 = _mm256_fmadd_ps(a11, x, y)

static double kernel(long iterations) {
    __m256 x = _mm256_set1_ps(0.999999f), y = _mm256_set1_ps(1e-7f);
    __m256 a0 = _mm256_set1_ps(0), a1 = _mm256_set1_ps(1), a2 = _mm256_set1_ps(2), a3 = _mm256_set1_ps(3);
    __m256 a4 = _mm256_set1_ps(4), a5 = _mm256_set1_ps(5), a6 = _mm256_set1_ps(6), a7 = _mm256_set1_ps(7);
    __m256 a8 = _mm256_set1_ps(8), a9 = _mm256_set1_ps(9), a10 = _mm256_set1_ps(10), a11 = _mm256_set1_ps(11);
    for (long n = 0; n < iterations; n++) { FMA12(x, y); }
    __m256 s = _mm256_add_ps(_mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3)),
                             _mm256_add_ps(_mm256_add_ps(a4, a5), _mm256_add_ps(a6, a7)));
    s = _mm256_add_ps(s, _mm256_add_ps(_mm256_add_ps(a8, a9), _mm256_add_ps(a10, a11)));
    float out[8];
    _mm256_storeu_ps(out, s);
    return out[0];
}

int main(void) {
    const long iterations = 50000000;   // 12 × 8 × 2 FLOPs each: 9.6 GFLOP per thread
    int cores = omp_get_num_procs();
    for (int threads = 1; threads <= cores; threads++) {
        double best = 0, perCPUSecond = 0, sink = 0;
        for (int repeat = 0; repeat < 3; repeat++) {
            double start = omp_get_wtime(), cpu = 0;
#pragma omp parallel num_threads(threads) reduction(+ : sink, cpu)
            {
                double begin = cpu_seconds();
                sink += kernel(iterations);
                cpu += cpu_seconds() - begin;
            }
            double flops = threads * iterations * 12.0 * 8 * 2;
            if (flops / (omp_get_wtime() - start) / 1e9 > best) best = flops / (omp_get_wtime() - start) / 1e9;
            if (flops / cpu / 1e9 * threads > perCPUSecond) perCPUSecond = flops / cpu / 1e9 * threads;
        }
        printf("{\"probe\": \"fma_peak\", \"threads\": %d, \"wall_gflops\": %.1f, \"gflops_if_each_thread_had_its_core\": %.1f, \"sink\": %g}\n",
               threads, best, perCPUSecond, sink);
    }
    return 0;
}
