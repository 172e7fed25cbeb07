#ifndef APIARY_CCRYPTO_SHIM_H
#define APIARY_CCRYPTO_SHIM_H
// OpenSSL's libcrypto (libssl-dev): SHA-256 and HMAC for SigV4, MD5 for S3 ETags.
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/md5.h>
#include <openssl/sha.h>
#endif
