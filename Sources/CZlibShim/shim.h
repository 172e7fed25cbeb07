#ifndef APIARY_CZLIB_SHIM_H
#define APIARY_CZLIB_SHIM_H
#include <zlib.h>

// deflateInit2/inflateInit2 are function-like macros (they pass ZLIB_VERSION and the stream size), which
// Swift cannot import. windowBits 15 + 16 selects the gzip container.
static inline int ck_deflate_init_gzip(z_streamp stream, int level) {
    return deflateInit2(stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
}
static inline int ck_inflate_init_gzip(z_streamp stream) { return inflateInit2(stream, 15 + 16); }
#endif
