// One inference convolution (ReLU post-op) in each of oneDNN's ways for it: activations in the layout the primitive
// chooses (`any`), NHWC, nChw16c, nChw8c (each with the implementation oneDNN picks for it), Winograd (nChw16c) and
// `convolution_auto`. Best of REPS by wall time, the variants interleaved rep by rep so that load hits all alike.
// Build: gcc -O2 bench/roofline/dnnl_conv.c -ldnnl -fopenmp -o /tmp/dnnl_conv
// Run:   OMP_WAIT_POLICY=PASSIVE /tmp/dnnl_conv MB IC OC IH K STRIDE PAD REPS   (square maps and kernels, no dilation)
#include <dnnl.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#define CK(x) do { dnnl_status_t s_ = (x); if (s_ != dnnl_success) { return -1.0; } } while (0)
static dnnl_engine_t eng; static dnnl_stream_t str;
typedef struct { dnnl_primitive_t p; dnnl_memory_t src, wei, bia, dst; char impl[64]; } conv_t;
static double build(conv_t *c, int mb, int ic, int oc, int ih, int k, int s, int pad, dnnl_format_tag_t tag, dnnl_alg_kind_t alg, int relu) {
    int oh = (ih + 2 * pad - k) / s + 1;
    dnnl_dims_t sd = {mb, ic, ih, ih}, wd = {oc, ic, k, k}, bd = {oc}, dd = {mb, oc, oh, oh};
    dnnl_dims_t st = {s, s}, pd = {pad, pad}, dl = {0, 0};
    dnnl_memory_desc_t smd, wmd, bmd, dmd;
    CK(dnnl_memory_desc_init_by_tag(&smd, 4, sd, dnnl_f32, tag));
    CK(dnnl_memory_desc_init_by_tag(&wmd, 4, wd, dnnl_f32, dnnl_format_tag_any));
    CK(dnnl_memory_desc_init_by_tag(&bmd, 1, bd, dnnl_f32, dnnl_x));
    CK(dnnl_memory_desc_init_by_tag(&dmd, 4, dd, dnnl_f32, tag));
    dnnl_convolution_desc_t cd;
    CK(dnnl_dilated_convolution_forward_desc_init(&cd, dnnl_forward_inference, alg, &smd, &wmd, &bmd, &dmd, st, dl, pd, pd));
    dnnl_primitive_attr_t at; dnnl_primitive_attr_create(&at);
    dnnl_post_ops_t po; dnnl_post_ops_create(&po);
    if (relu) dnnl_post_ops_append_eltwise(po, 1, dnnl_eltwise_relu, 0, 0);
    dnnl_primitive_attr_set_post_ops(at, po);
    dnnl_primitive_desc_t pdsc;
    CK(dnnl_primitive_desc_create(&pdsc, &cd, at, eng, NULL));
    const char *impl; dnnl_primitive_desc_query(pdsc, dnnl_query_impl_info_str, 0, &impl); strncpy(c->impl, impl, 63);
    CK(dnnl_primitive_create(&c->p, pdsc));
    dnnl_memory_create(&c->src, dnnl_primitive_desc_query_md(pdsc, dnnl_query_src_md, 0), eng, DNNL_MEMORY_ALLOCATE);
    dnnl_memory_create(&c->wei, dnnl_primitive_desc_query_md(pdsc, dnnl_query_weights_md, 0), eng, DNNL_MEMORY_ALLOCATE);
    dnnl_memory_create(&c->bia, dnnl_primitive_desc_query_md(pdsc, dnnl_query_weights_md, 1), eng, DNNL_MEMORY_ALLOCATE);
    dnnl_memory_create(&c->dst, dnnl_primitive_desc_query_md(pdsc, dnnl_query_dst_md, 0), eng, DNNL_MEMORY_ALLOCATE);
    void *h; size_t n;
    dnnl_memory_get_data_handle(c->src, &h); n = dnnl_memory_desc_get_size(dnnl_primitive_desc_query_md(pdsc, dnnl_query_src_md, 0)); for (size_t i = 0; i < n / 4; i++) ((float*)h)[i] = (i % 13) * 0.01f;
    dnnl_memory_get_data_handle(c->wei, &h); n = dnnl_memory_desc_get_size(dnnl_primitive_desc_query_md(pdsc, dnnl_query_weights_md, 0)); for (size_t i = 0; i < n / 4; i++) ((float*)h)[i] = (i % 7) * 0.01f;
    return 2.0 * mb * ic * oc * oh * oh * k * k;
}
static double run(conv_t *c) {
    dnnl_exec_arg_t a[4] = {{DNNL_ARG_SRC, c->src}, {DNNL_ARG_WEIGHTS, c->wei}, {DNNL_ARG_BIAS, c->bia}, {DNNL_ARG_DST, c->dst}};
    double t = omp_get_wtime();
    dnnl_primitive_execute(c->p, str, 4, a); dnnl_stream_wait(str);
    return omp_get_wtime() - t;
}
int main(int argc, char **argv) {
    int mb = atoi(argv[1]), ic = atoi(argv[2]), oc = atoi(argv[3]), ih = atoi(argv[4]), k = atoi(argv[5]), s = atoi(argv[6]), pad = atoi(argv[7]), reps = atoi(argv[8]);
    dnnl_engine_create(&eng, dnnl_cpu, 0); dnnl_stream_create(&str, eng, dnnl_stream_default_flags);
    const char *names[] = {"any", "nhwc", "nChw16c", "nChw8c", "wino16c", "auto"};
    dnnl_format_tag_t tags[] = {dnnl_format_tag_any, dnnl_nhwc, dnnl_nChw16c, dnnl_nChw8c, dnnl_nChw16c, dnnl_format_tag_any};
    dnnl_alg_kind_t algs[] = {dnnl_convolution_direct, dnnl_convolution_direct, dnnl_convolution_direct, dnnl_convolution_direct, dnnl_convolution_winograd, dnnl_convolution_auto};
    conv_t c[6]; double fl[6]; double best[6];
    for (int v = 0; v < 6; v++) { fl[v] = build(&c[v], mb, ic, oc, ih, k, s, pad, tags[v], algs[v], 1); best[v] = 1e9; if (fl[v] > 0) { run(&c[v]); run(&c[v]); } }
    for (int r = 0; r < reps; r++) for (int v = 0; v < 6; v++) if (fl[v] > 0) { double t = run(&c[v]); if (t < best[v]) best[v] = t; }
    printf("mb%d ic%d oc%d ih%d k%d s%d:", mb, ic, oc, ih, k, s);
    for (int v = 0; v < 6; v++) if (fl[v] > 0) printf("  %s[%s] %.3fms %.0fGF/s", names[v], c[v].impl, best[v] * 1e3, fl[v] / best[v] / 1e9); else printf("  %s[n/a]", names[v]);
    printf("\n");
    return 0;
}
