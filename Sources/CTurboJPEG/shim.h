#ifndef APIARY_CTURBOJPEG_SHIM_H
#define APIARY_CTURBOJPEG_SHIM_H
// libjpeg-turbo's TurboJPEG API (libturbojpeg0-dev).
#include <turbojpeg.h>
#endif
