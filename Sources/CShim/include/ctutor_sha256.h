#ifndef CTUTOR_SHA256_H
#define CTUTOR_SHA256_H

#include <stddef.h>
#include <stdint.h>

/* SHA-256 (FIPS 180-4), for the content digests of image blobs and layers.
   In C because layers are megabytes and the debug build's Swift is too slow for
   a per-byte loop; no library is needed for one standard function. */
typedef struct {
    uint32_t state[8];
    uint64_t length;     /* bytes hashed so far */
    uint8_t block[64];   /* a partial block waiting for more input */
    size_t buffered;     /* bytes in block */
} ctutor_sha256;

void ctutor_sha256_init(ctutor_sha256 *context);
void ctutor_sha256_update(ctutor_sha256 *context, const void *data, size_t size);
/* Pads, writes the 32-byte digest, and leaves the context to be initialised again. */
void ctutor_sha256_final(ctutor_sha256 *context, uint8_t digest[32]);

#endif
