#ifndef APIARY_CDNNL_SHIM_H
#define APIARY_CDNNL_SHIM_H

// oneDNN 2.x C API (libdnnl-dev ships no pkg-config file, hence `link "dnnl"` in the module map).
#include <oneapi/dnnl/dnnl.h>

/// `DNNL_MEMORY_ALLOCATE` is a macro expanding to a cast pointer constant, which Swift cannot import.
static inline void *ck_dnnl_memory_allocate(void) { return DNNL_MEMORY_ALLOCATE; }

/// oneDNN's OpenMP runtime (libgomp): a primitive splits its work over `omp_get_max_threads()` threads, the calling
/// thread's OpenMP setting; `omp.h` is GCC's header, not on Swift's clang path, hence the two declarations.
int omp_get_max_threads(void);
void omp_set_num_threads(int count);

#endif
