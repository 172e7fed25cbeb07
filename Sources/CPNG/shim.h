#ifndef APIARY_CPNG_SHIM_H
#define APIARY_CPNG_SHIM_H
// libpng's simplified read/write API (libpng-dev).
#include <png.h>
#endif
