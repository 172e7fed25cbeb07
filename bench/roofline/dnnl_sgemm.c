// oneDNN's own sgemm on large square shapes (the library the networks run on), 2 threads; best of 5 per size, by
// wall time and per CPU-second of the process times the thread count (run with OMP_WAIT_POLICY=PASSIVE so idle
// threads do not spin: the second figure is then what the cores do while they run, which load cannot hide).
// Build: gcc -O2 bench/roofline/dnnl_sgemm.c -ldnnl -fopenmp -o /tmp/dnnl_sgemm
#include <dnnl.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double cpu_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

int main(void) {
    int sizes[] = {1024, 2048};
    for (int s = 0; s < 2; s++) {
        long n = sizes[s];
        float *a = malloc(n * n * 4), *b = malloc(n * n * 4), *c = malloc(n * n * 4);
        for (long i = 0; i < n * n; i++) { a[i] = (float)(i % 7) * 0.1f; b[i] = (float)(i % 5) * 0.1f; c[i] = 0; }
        double best = 0, perCPU = 0;
        for (int repeat = 0; repeat < 5; repeat++) {
            double start = omp_get_wtime(), cpu = cpu_seconds();
            if (dnnl_sgemm('N', 'N', n, n, n, 1.0f, a, n, b, n, 0.0f, c, n) != dnnl_success) return 1;
            double gflops = 2.0 * n * n * n / (omp_get_wtime() - start) / 1e9;
            if (gflops > best) best = gflops;
            double cpuGflops = 2.0 * n * n * n / (cpu_seconds() - cpu) / 1e9 * omp_get_max_threads();
            if (cpuGflops > perCPU) perCPU = cpuGflops;
        }
        printf("{\"probe\": \"dnnl_sgemm\", \"n\": %ld, \"threads\": %d, \"gflops\": %.1f, \"gflops_if_each_thread_had_its_core\": %.1f}\n", n,
               omp_get_max_threads(), best, perCPU);
        free(a); free(b); free(c);
    }
    return 0;
}
