/*
 * A growing byte buffer for what a C library function builds before pushing it as one Lua string
 * (cjson_encode.c, cmsgpack.c): it starts in place, on the C stack, and moves to malloc only when a
 * value outgrows that (output.c).
 */
#ifndef POSTBOX_OUTPUT_H
#define POSTBOX_OUTPUT_H

#include <stddef.h>

typedef struct {
    char *bytes;
    size_t length;
    size_t capacity;
    char initial[512];
} output_t;

void output_init(output_t *out);

/* Room for more bytes after the length; false when memory is out. */
int output_reserve(output_t *out, size_t more);

/* Appends length bytes; false when memory is out. */
int output_append(output_t *out, const void *bytes, size_t length);

/* Frees what output_reserve allocated. */
void output_release(output_t *out);

#endif
