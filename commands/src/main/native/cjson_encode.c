/*
 * cjson.encode as Redis 7.0's Lua CJSON 2.1.0 behaves, as a C function: queue frameworks encode
 * job data in scripts (BullMQ a flow job's parent on every add), and encoding in Lua cost about
 * eight times Redis's C. It reads its cjson instance's settings on every call (see cjson.h).
 *
 * Facts of Redis's encoder kept here: a table is an array when every key is a whole number >= 1
 * (the largest kept in a C int) unless it is excessively sparse, else an object in next() order;
 * holes encode as null; numbers print with "%.<precision>g"; '/' is escaped and bytes >= 0x80 are
 * copied; each nesting level needs three free Lua stack slots, and running out is "excessive
 * nesting", as is passing encode_max_depth.
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cjson.h"
#include "output.h"

typedef struct {
    output_t out;
    /* The settings, read from the instance's table. */
    int sparse_convert;
    int sparse_ratio;
    int sparse_safe;
    int max_depth;
    int invalid_numbers; /* 0 off (an error), 1 on ("nan", "inf"), 2 null */
    int precision;
    /* Why encoding stopped, raised once the buffer is freed. */
    char error[96];
} encoder_t;

static int fail(lua_State *L, encoder_t *e, int index, const char *reason) {
    snprintf(e->error, sizeof e->error, "Cannot serialise %s: %s", lua.typename_of(L, lua.type(L, index)), reason);
    return 0;
}

/* Room for more bytes of output; when memory is out, false with the error set. */
static int reserve(encoder_t *e, size_t more) {
    if (!output_reserve(&e->out, more)) {
        snprintf(e->error, sizeof e->error, "not enough memory");
        return 0;
    }
    return 1;
}

static int append(encoder_t *e, const char *bytes, size_t length) {
    return reserve(e, length) && output_append(&e->out, bytes, length);
}

static int append_number(lua_State *L, encoder_t *e, int index) {
    double number = lua.tonumber(L, index);
    if (isnan(number) || isinf(number)) {
        if (e->invalid_numbers == 0) {
            return fail(L, e, index, "must not be NaN or Inf");
        } else if (e->invalid_numbers == 2) {
            return append(e, "null", 4);
        } else if (isnan(number)) {
            return append(e, "nan", 3); /* printf may say "-nan" */
        }
    }
    char digits[32];
    int length = snprintf(digits, sizeof digits, "%.*g", e->precision, number);
    return append(e, digits, (size_t) length);
}

/* The escape of each byte, or null for a byte copied as it is. */
static const char *escape_of(unsigned char c) {
    static const char *const controls[32] = {
        "\\u0000", "\\u0001", "\\u0002", "\\u0003", "\\u0004", "\\u0005", "\\u0006", "\\u0007",
        "\\b", "\\t", "\\n", "\\u000b", "\\f", "\\r", "\\u000e", "\\u000f",
        "\\u0010", "\\u0011", "\\u0012", "\\u0013", "\\u0014", "\\u0015", "\\u0016", "\\u0017",
        "\\u0018", "\\u0019", "\\u001a", "\\u001b", "\\u001c", "\\u001d", "\\u001e", "\\u001f",
    };
    if (c < 32) {
        return controls[c];
    }
    switch (c) {
    case '"':
        return "\\\"";
    case '\\':
        return "\\\\";
    case '/':
        return "\\/";
    case 127:
        return "\\u007f";
    default:
        return NULL;
    }
}

static int append_string(lua_State *L, encoder_t *e, int index) {
    size_t length;
    const char *s = lua.tolstring(L, index, &length);
    if (!reserve(e, length + 2)) {
        return 0;
    }
    e->out.bytes[e->out.length++] = '"';
    size_t plain = 0; /* bytes since the last escape, copied in one go */
    for (size_t i = 0; i < length; i++) {
        const char *escape = escape_of((unsigned char) s[i]);
        if (escape == NULL) {
            continue;
        }
        if (!append(e, s + plain, i - plain) || !append(e, escape, strlen(escape))) {
            return 0;
        }
        plain = i + 1;
    }
    return append(e, s + plain, length - plain) && append(e, "\"", 1);
}

/*
 * The array length of the table on top (its largest key), 0 for an empty table, or -1 when it is
 * to be an object; -2 with the error set when it is an excessively sparse array not to be
 * converted. The largest key is a C int, as in CJSON: a key beyond INT_MAX stores INT_MIN.
 */
static int array_length(lua_State *L, encoder_t *e) {
    int max = 0;
    int items = 0;
    lua.pushnil(L);
    while (lua.next(L, -2) != 0) {
        double key = lua.type(L, -2) == LUA_TNUMBER ? lua.tonumber(L, -2) : 0;
        if (key < 1 || floor(key) != key) {
            lua.settop(L, -3);
            return -1;
        }
        if (key > max) {
            max = key < 2147483648.0 ? (int) key : INT_MIN;
        }
        items++;
        lua.settop(L, -2);
    }
    /* items * ratio in a C int, wrapping as CJSON's multiplication does on x86-64. */
    int spread = (int) ((unsigned) items * (unsigned) e->sparse_ratio);
    if (e->sparse_ratio > 0 && max > spread && max > e->sparse_safe) {
        if (!e->sparse_convert) {
            fail(L, e, -1, "excessively sparse array");
            return -2;
        }
        return -1;
    }
    return max;
}

static int append_value(lua_State *L, encoder_t *e, int depth);

static int append_array(lua_State *L, encoder_t *e, int depth, int length) {
    if (!append(e, "[", 1)) {
        return 0;
    }
    for (int i = 1; i <= length; i++) {
        if (i > 1 && !append(e, ",", 1)) {
            return 0;
        }
        lua.rawgeti(L, -1, i);
        if (!append_value(L, e, depth)) {
            return 0;
        }
        lua.settop(L, -2);
    }
    return append(e, "]", 1);
}

static int append_object(lua_State *L, encoder_t *e, int depth) {
    if (!append(e, "{", 1)) {
        return 0;
    }
    int first = 1;
    lua.pushnil(L);
    while (lua.next(L, -2) != 0) {
        if (!first && !append(e, ",", 1)) {
            return 0;
        }
        first = 0;
        int key_type = lua.type(L, -2);
        int key_written;
        if (key_type == LUA_TNUMBER) {
            key_written = append(e, "\"", 1) && append_number(L, e, -2) && append(e, "\":", 2);
        } else if (key_type == LUA_TSTRING) {
            key_written = append_string(L, e, -2) && append(e, ":", 1);
        } else {
            key_written = fail(L, e, -2, "table key must be a number or string");
        }
        if (!key_written || !append_value(L, e, depth)) {
            return 0;
        }
        lua.settop(L, -2);
    }
    return append(e, "}", 1);
}

/* Appends the JSON of the value on top of the stack, leaving it there. */
static int append_value(lua_State *L, encoder_t *e, int depth) {
    switch (lua.type(L, -1)) {
    case LUA_TSTRING:
        return append_string(L, e, -1);
    case LUA_TNUMBER:
        return append_number(L, e, -1);
    case LUA_TBOOLEAN:
        return lua.toboolean(L, -1) ? append(e, "true", 4) : append(e, "false", 5);
    case LUA_TNIL:
        return append(e, "null", 4);
    case LUA_TLIGHTUSERDATA:
        if (lua.touserdata(L, -1) == NULL) { /* cjson.null */
            return append(e, "null", 4);
        }
        return fail(L, e, -1, "type not supported");
    case LUA_TTABLE:
        depth++;
        /* Room to walk the table (a key and a value) and to push an error message. */
        if (depth > e->max_depth || !lua.checkstack(L, 3)) {
            snprintf(e->error, sizeof e->error, "Cannot serialise, excessive nesting (%d)", depth);
            return 0;
        }
        int length = array_length(L, e);
        if (length == -2) {
            return 0;
        }
        return length > 0 ? append_array(L, e, depth, length) : append_object(L, e, depth);
    default:
        return fail(L, e, -1, "type not supported");
    }
}

/* The settings an encoder reads. */
enum { SPARSE_CONVERT, SPARSE_RATIO, SPARSE_SAFE, MAX_DEPTH, INVALID_NUMBERS, PRECISION, SETTINGS };
static const char *const setting_names[SETTINGS] = {
    "encode_sparse_convert", "encode_sparse_ratio", "encode_sparse_safe", "encode_max_depth",
    "encode_invalid_numbers", "encode_number_precision",
};

static int encode(lua_State *L) {
    if (lua.gettop(L) != 1) {
        return lua.argerror(L, 1, "expected 1 argument");
    }
    encoder_t e;
    output_init(&e.out);
    e.sparse_convert = cjson_setting(L, SPARSE_CONVERT);
    e.sparse_ratio = cjson_setting(L, SPARSE_RATIO);
    e.sparse_safe = cjson_setting(L, SPARSE_SAFE);
    e.max_depth = cjson_setting(L, MAX_DEPTH);
    e.invalid_numbers = cjson_setting(L, INVALID_NUMBERS);
    e.precision = cjson_setting(L, PRECISION);
    int encoded = append_value(L, &e, 0);
    if (encoded) {
        lua.pushlstring(L, e.out.bytes, e.out.length);
    }
    output_release(&e.out);
    return encoded ? 1 : lua.raise(L, "%s", e.error);
}

int cjson_encoder(lua_State *L) {
    lua.settop(L, 1);
    cjson_closure(L, encode, setting_names, SETTINGS);
    return 1;
}
