#ifndef CTUTOR_GZIP_H
#define CTUTOR_GZIP_H

#include <stddef.h>
#include <stdint.h>

/* Streaming gzip decompression through the system zlib, for gzip-compressed image
   layers. inflateInit2 is a macro, which Swift cannot call, hence this wrapper.
   Concatenated gzip members (as pigz and some registries write) are one stream. */
typedef struct ctutor_gunzip ctutor_gunzip;

enum {
    CTUTOR_GUNZIP_MORE = 0,  /* needs more input or more output space */
    CTUTOR_GUNZIP_END = 1,   /* a gzip member ended exactly at the end of what was consumed */
    CTUTOR_GUNZIP_ERROR = -1 /* corrupt data; ctutor_gunzip_message says why */
};

/* NULL when out of memory. */
ctutor_gunzip *ctutor_gunzip_new(void);
void ctutor_gunzip_free(ctutor_gunzip *stream);

/* Decompresses from input into output; sets how much of each was used. */
int ctutor_gunzip_step(ctutor_gunzip *stream, const uint8_t *input, size_t input_size, size_t *consumed,
                       uint8_t *output, size_t output_size, size_t *produced);

/* zlib's reason for the last CTUTOR_GUNZIP_ERROR ("incorrect header check", ...). */
const char *ctutor_gunzip_message(const ctutor_gunzip *stream);

#endif
