// Memory bandwidth of this machine, STREAM-style: copy (a = b) and triad (a = b + s·c) over 3 × 256 MiB arrays,
// far beyond the caches, one OpenMP thread per core; best of 5. Bytes counted as STREAM does (no write-allocate).
// Reported by wall time and per CPU-second of each thread (summed over threads): what the cores draw while they
// run, which a machine loaded by other processes' compilers cannot hide from the wall clock.
// Build: gcc -O2 -march=haswell -fopenmp bench/roofline/bandwidth.c -o /tmp/bandwidth
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double cpu_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static const long n = 64L << 20;  // floats per array
static float *a, *b, *c;

// Runs one kernel over the arrays; returns bytes per wall second and the sum over threads of bytes per CPU-second.
static void run(int triad, double *wall, double *perCPU) {
    double start = omp_get_wtime(), rate = 0;
#pragma omp parallel reduction(+ : rate)
    {
        int threads = omp_get_num_threads(), id = omp_get_thread_num();
        long begin = n / threads * id, end = id == threads - 1 ? n : n / threads * (id + 1);
        double cpu = cpu_seconds();
        if (triad)
            for (long i = begin; i < end; i++) a[i] = b[i] + 3.0f * c[i];
        else
            for (long i = begin; i < end; i++) a[i] = b[i];
        rate = (triad ? 3.0 : 2.0) * 4 * (end - begin) / (cpu_seconds() - cpu) / 1e9;
    }
    double w = (triad ? 3.0 : 2.0) * 4 * n / (omp_get_wtime() - start) / 1e9;
    if (w > *wall) *wall = w;
    if (rate > *perCPU) *perCPU = rate;
}

int main(void) {
    a = malloc(n * 4), b = malloc(n * 4), c = malloc(n * 4);
#pragma omp parallel for
    for (long i = 0; i < n; i++) { a[i] = 0; b[i] = 1; c[i] = 2; }
    double copy = 0, copyCPU = 0, triad = 0, triadCPU = 0;
    for (int repeat = 0; repeat < 5; repeat++) {
        run(0, &copy, &copyCPU);
        run(1, &triad, &triadCPU);
    }
    printf("{\"probe\": \"bandwidth\", \"threads\": %d, \"copy_gb_s\": %.1f, \"triad_gb_s\": %.1f, "
           "\"copy_gb_s_if_each_thread_had_its_core\": %.1f, \"triad_gb_s_if_each_thread_had_its_core\": %.1f, \"check\": %g}\n",
           omp_get_max_threads(), copy, triad, copyCPU, triadCPU, a[n / 2]);
    return 0;
}
