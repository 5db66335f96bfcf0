/* A growing byte buffer that starts in place (see output.h). */
#include "output.h"

#include <stdlib.h>
#include <string.h>

void output_init(output_t *out) {
    out->bytes = out->initial;
    out->length = 0;
    out->capacity = sizeof out->initial;
}

int output_reserve(output_t *out, size_t more) {
    if (out->length + more <= out->capacity) {
        return 1;
    }
    size_t capacity = out->capacity * 2 > out->length + more ? out->capacity * 2 : out->length + more;
    char *grown = out->bytes == out->initial ? malloc(capacity) : realloc(out->bytes, capacity);
    if (grown == NULL) {
        return 0;
    }
    if (out->bytes == out->initial) {
        memcpy(grown, out->initial, out->length);
    }
    out->bytes = grown;
    out->capacity = capacity;
    return 1;
}

int output_append(output_t *out, const void *bytes, size_t length) {
    if (!output_reserve(out, length)) {
        return 0;
    }
    memcpy(out->bytes + out->length, bytes, length);
    out->length += length;
    return 1;
}

void output_release(output_t *out) {
    if (out->bytes != out->initial) {
        free(out->bytes);
    }
}
