/*
 * The struct library as Redis 7.0 ships it (Roberto Ierusalimschy's, with Redis's checks):
 * struct.pack, struct.unpack and struct.size over a format string, as C functions. Redisson's
 * delayed queue packs and unpacks every element with it; in Lua it cost about fifteen times
 * Redis's C.
 *
 * Formats: '>' and '<' big and little endian (little by default), '!n' alignment (8 without n, a
 * power of 2), ' ' ignored; b B h H l L T i[n] I[n] signed (lower case) and unsigned integers of
 * 1, 2, 8, 8, 8 and n (default 4, at most 32) bytes; f d float and double; x a padding byte; c[n]
 * n bytes (c0: the whole string when packing, the previous result's length when unpacking); s a
 * zero-terminated string. The format ends at its first zero byte.
 *
 * Numbers become integers as C converts them on x86-64: out of range, NaN and beyond are the bit
 * patterns its conversions give, not errors. Integers wider than 8 bytes carry 8 bytes of value.
 */
#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "struct.h"

#define MAX_INT_SIZE 32
#define MAX_ALIGN 8

typedef struct {
    int little;
    size_t align;
} header_t;

/* A number written after an option, or the default. */
static int read_number(lua_State *L, const char **fmt, int default_value) {
    if (!isdigit((unsigned char) **fmt)) {
        return default_value;
    }
    int a = 0;
    do {
        int digit = *(*fmt)++ - '0';
        if (a > (INT32_MAX - digit) / 10) {
            lua.raise(L, "integral size overflow");
        }
        a = a * 10 + digit;
    } while (isdigit((unsigned char) **fmt));
    return a;
}

static size_t option_size(lua_State *L, char opt, const char **fmt) {
    switch (opt) {
    case 'b': case 'B': case 'x':
        return 1;
    case 'h': case 'H':
        return 2;
    case 'f':
        return 4;
    case 'l': case 'L': case 'T': case 'd':
        return 8;
    case 'c':
        return (size_t) read_number(L, fmt, 1);
    case 'i': case 'I': {
        int size = read_number(L, fmt, 4);
        if (size > MAX_INT_SIZE) {
            lua.raise(L, "integral size %d is larger than limit of %d", size, MAX_INT_SIZE);
        }
        return (size_t) size;
    }
    default:
        return 0;
    }
}

/* Padding before an item of size at offset length. */
static size_t padding(size_t length, const header_t *h, char opt, size_t size) {
    if (size == 0 || opt == 'c') {
        return 0;
    }
    if (size > h->align) {
        size = h->align;
    }
    return (size - (length & (size - 1))) & (size - 1);
}

/* Options that change the header; any other is invalid. */
static void control_option(lua_State *L, char opt, const char **fmt, header_t *h) {
    switch (opt) {
    case ' ':
        return;
    case '>':
        h->little = 0;
        return;
    case '<':
        h->little = 1;
        return;
    case '!': {
        int a = read_number(L, fmt, MAX_ALIGN);
        if (a <= 0 || (a & (a - 1)) != 0) {
            lua.raise(L, "alignment %d is not a power of 2", a);
        }
        h->align = (size_t) a;
        return;
    }
    default: {
        char message[32];
        snprintf(message, sizeof message, "invalid format option '%c'", opt);
        lua.argerror(L, 1, message);
    }
    }
}

static int is_integer_option(char opt) {
    return strchr("bBhHlLTiI", opt) != NULL;
}

/*
 * C's (unsigned long) conversion of a double as gcc compiles it for x86-64, which Redis's struct
 * applies to what it packs and to a c0 size: below 2^63 (NaN included) a signed conversion, whose
 * out-of-range result is 2^63; from 2^63 on, the signed conversion of x - 2^63 with the top bit
 * flipped, so infinity and 2^64 and up give 0.
 */
static uint64_t to_unsigned_long(double x) {
    const double two63 = 9223372036854775808.0;
    if (x >= two63) {
        double rest = x - two63;
        uint64_t low = rest < two63 ? (uint64_t) (int64_t) rest : (uint64_t) 1 << 63;
        return low ^ (uint64_t) 1 << 63;
    }
    return x >= -two63 ? (uint64_t) (int64_t) x : (uint64_t) 1 << 63;
}

/* value's bytes over size (bytes past the eighth are zero) in the header's order. */
static void put_bytes(char *out, uint64_t value, size_t size, int little) {
    for (size_t i = 0; i < size; i++) {
        char byte = (char) (i < 8 ? value >> (8 * i) & 0xff : 0);
        out[little ? i : size - 1 - i] = byte;
    }
}

/*
 * Walks the format over the arguments: checks them, in Redis's order, and returns the packed
 * length when out is null; writes the packed bytes to out otherwise (nothing left to check).
 */
static size_t pack_into(lua_State *L, const char *fmt, char *out) {
    header_t h = {1, 1};
    int arg = 2;
    size_t total = 0;
    while (*fmt != '\0') {
        char opt = *fmt++;
        size_t size = option_size(L, opt, &fmt);
        size_t pad = padding(total, &h, opt, size);
        if (out != NULL) {
            memset(out + total, 0, pad);
        }
        total += pad;
        if (is_integer_option(opt)) {
            double n = lua.checknumber(L, arg++);
            if (out != NULL) {
                put_bytes(out + total, to_unsigned_long(n), size, h.little);
            }
        } else if (opt == 'x') {
            if (out != NULL) {
                out[total] = '\0';
            }
        } else if (opt == 'f' || opt == 'd') {
            double n = lua.checknumber(L, arg++);
            if (out != NULL) {
                uint64_t bits = 0;
                if (opt == 'f') {
                    float single = (float) n;
                    uint32_t word;
                    memcpy(&word, &single, sizeof word);
                    bits = word;
                } else {
                    memcpy(&bits, &n, sizeof bits);
                }
                put_bytes(out + total, bits, size, h.little);
            }
        } else if (opt == 'c' || opt == 's') {
            size_t length;
            const char *s = lua.checklstring(L, arg++, &length);
            if (size == 0) {
                size = length;
            }
            if (length < size) {
                lua.argerror(L, arg, "string too short"); /* the next argument's number, as Redis's */
            }
            if (out != NULL) {
                memcpy(out + total, s, size);
            }
            if (opt == 's') {
                if (out != NULL) {
                    out[total + size] = '\0';
                }
                size++;
            }
        } else {
            control_option(L, opt, &fmt, &h);
        }
        total += size;
    }
    return total;
}

int struct_pack(lua_State *L) {
    const char *fmt = lua.checklstring(L, 1, NULL);
    lua.pushnil(L); /* a missing argument reads as this nil, as in Redis, whose buffer starts after one */
    size_t length = pack_into(L, fmt, NULL);
    char *out = lua.newuserdata(L, length > 0 ? length : 1);
    pack_into(L, fmt, out);
    lua.pushlstring(L, out, length);
    return 1;
}

/* The size bytes at data as an unsigned number in the header's order; past eight, the least
   significant eight. */
static uint64_t read_bytes(const unsigned char *data, int little, size_t size) {
    uint64_t value = 0;
    for (size_t i = 0; i < size; i++) {
        value = value << 8 | data[little ? size - 1 - i : i];
    }
    return value;
}

/* An integer item: sign-extended from bit size*8-1 (mod 64, as x86-64 shifts) when signed. */
static double read_integer(const unsigned char *data, int little, int is_signed, size_t size) {
    uint64_t value = read_bytes(data, little, size);
    if (!is_signed) {
        return (double) value;
    }
    uint64_t mask = ~(uint64_t) 0 << ((size * 8 - 1) & 63);
    if (value & mask) {
        value |= mask;
    }
    return (double) (int64_t) value;
}

int struct_unpack(lua_State *L) {
    const char *fmt = lua.checklstring(L, 1, NULL);
    size_t length;
    const unsigned char *data = (const unsigned char *) lua.checklstring(L, 2, &length);
    lua_Integer offset = lua.optinteger(L, 3, 1);
    if (offset == 0) {
        lua.argerror(L, 3, "offset must be 1 or greater");
    }
    size_t pos = (size_t) offset - 1; /* a negative offset is past any string */
    int beyond = offset < 0;
    header_t h = {1, 1};
    int results = 0;
    while (*fmt != '\0') {
        char opt = *fmt++;
        size_t size = option_size(L, opt, &fmt);
        pos += padding(pos, &h, opt, size);
        if (beyond || size > length || pos > length - size) {
            lua.argerror(L, 2, "data string too short");
        }
        lua.checkstack_or_raise(L, 2, "too many results");
        if (is_integer_option(opt)) {
            lua.pushnumber(L, read_integer(data + pos, h.little, islower((unsigned char) opt), size));
            results++;
        } else if (opt == 'f') {
            uint32_t word = (uint32_t) read_bytes(data + pos, h.little, 4);
            float single;
            memcpy(&single, &word, sizeof single);
            lua.pushnumber(L, single);
            results++;
        } else if (opt == 'd') {
            uint64_t bits = read_bytes(data + pos, h.little, 8);
            double value;
            memcpy(&value, &bits, sizeof value);
            lua.pushnumber(L, value);
            results++;
        } else if (opt == 'c') {
            if (size == 0) {
                if (results == 0 || !lua.isnumber(L, -1)) {
                    lua.raise(L, "format 'c0' needs a previous size");
                }
                size = to_unsigned_long(lua.tonumber(L, -1));
                lua.settop(L, -2);
                results--;
                if (size > length || pos > length - size) {
                    lua.argerror(L, 2, "data string too short");
                }
            }
            lua.pushlstring(L, (const char *) data + pos, size);
            results++;
        } else if (opt == 's') {
            const unsigned char *zero = memchr(data + pos, '\0', length - pos);
            if (zero == NULL) {
                lua.raise(L, "unfinished string in data");
            }
            size = (size_t) (zero - (data + pos)) + 1;
            lua.pushlstring(L, (const char *) data + pos, size - 1);
            results++;
        } else if (opt != 'x') {
            control_option(L, opt, &fmt, &h);
        }
        pos += size;
    }
    lua.pushnumber(L, (double) (pos + 1));
    return results + 1;
}

int struct_size(lua_State *L) {
    const char *fmt = lua.checklstring(L, 1, NULL);
    header_t h = {1, 1};
    size_t pos = 0;
    while (*fmt != '\0') {
        char opt = *fmt++;
        size_t size = option_size(L, opt, &fmt);
        pos += padding(pos, &h, opt, size);
        if (opt == 's') {
            lua.argerror(L, 1, "option 's' has no fixed size");
        } else if (opt == 'c' && size == 0) {
            lua.argerror(L, 1, "option 'c0' has no fixed size");
        }
        if (!isalnum((unsigned char) opt)) {
            control_option(L, opt, &fmt, &h);
        }
        pos += size;
    }
    lua.pushnumber(L, (double) pos);
    return 1;
}
