#include "ctutor_gzip.h"

#include <stdlib.h>
#include <zlib.h>

struct ctutor_gunzip {
    z_stream z;
    int ended;           /* the last member finished; more input starts a new member */
    const char *message;
};

ctutor_gunzip *ctutor_gunzip_new(void) {
    ctutor_gunzip *stream = calloc(1, sizeof *stream);
    if (stream == NULL) return NULL;
    /* 15 + 16: the largest window, gzip framing only (a raw or zlib stream is refused). */
    if (inflateInit2(&stream->z, 15 + 16) != Z_OK) {
        free(stream);
        return NULL;
    }
    return stream;
}

void ctutor_gunzip_free(ctutor_gunzip *stream) {
    if (stream == NULL) return;
    inflateEnd(&stream->z);
    free(stream);
}

int ctutor_gunzip_step(ctutor_gunzip *stream, const uint8_t *input, size_t input_size, size_t *consumed,
                       uint8_t *output, size_t output_size, size_t *produced) {
    *consumed = 0;
    *produced = 0;
    if (stream->ended && input_size > 0) {
        inflateReset(&stream->z);
        stream->ended = 0;
    }
    if (stream->ended) return CTUTOR_GUNZIP_END;
    /* zlib counts in uInt; larger buffers are simply used in part. */
    uInt in = input_size > UINT32_MAX ? UINT32_MAX : (uInt)input_size;
    uInt out = output_size > UINT32_MAX ? UINT32_MAX : (uInt)output_size;
    stream->z.next_in = (Bytef *)input;
    stream->z.avail_in = in;
    stream->z.next_out = output;
    stream->z.avail_out = out;
    int status = inflate(&stream->z, Z_NO_FLUSH);
    *consumed = in - stream->z.avail_in;
    *produced = out - stream->z.avail_out;
    switch (status) {
    case Z_STREAM_END:
        stream->ended = 1;
        return CTUTOR_GUNZIP_END;
    case Z_OK:
    case Z_BUF_ERROR: /* no progress possible: the caller brings more input or output room */
        return CTUTOR_GUNZIP_MORE;
    case Z_MEM_ERROR:
        stream->message = "out of memory";
        return CTUTOR_GUNZIP_ERROR;
    default:
        stream->message = stream->z.msg != NULL ? stream->z.msg : "corrupt gzip data";
        return CTUTOR_GUNZIP_ERROR;
    }
}

const char *ctutor_gunzip_message(const ctutor_gunzip *stream) {
    return stream->message != NULL ? stream->message : "no error";
}
