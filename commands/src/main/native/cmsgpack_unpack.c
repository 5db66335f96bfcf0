/*
 * cmsgpack.unpack, unpack_one and unpack_limit, as Redis 7.0's lua-cmsgpack 0.4.0 behaves. Queue
 * frameworks unpack their options in nearly every script call (BullMQ does in each job's add, start
 * and finish), and decoding in Lua cost about five times what Redis's C does.
 *
 * They are C functions, as Redis's are, so argument errors and error positions come from Lua's
 * auxiliary library itself. Values are decoded straight onto the Lua stack using the stack slots
 * Redis's decoder uses at each nesting level (a table and an index or key), so that input nested too
 * deep fails at the same depth, with the same message.
 *
 * Facts of Redis's decoder kept here: every integer becomes a Lua number, and unsigned 64-bit ones
 * are read as signed; a 32-bit float widens to a double; bin and ext types are "bad data format";
 * tables are created empty (no size hint), which fixes the order pairs() visits their keys in.
 */
#include <limits.h>
#include <stdint.h>
#include <string.h>

#include "cmsgpack_unpack.h"

enum { DECODED, MISSING_BYTES, BAD_FORMAT };

typedef struct {
    const unsigned char *at;
    size_t left;
} input_t;

static uint64_t read_big_endian(const unsigned char *bytes, int size) {
    uint64_t value = 0;
    for (int i = 0; i < size; i++) {
        value = value << 8 | bytes[i];
    }
    return value;
}

/* Moves past size bytes; false if fewer are left. */
static int take(input_t *in, size_t size, const unsigned char **taken) {
    if (in->left < size) {
        return 0;
    }
    *taken = in->at;
    in->at += size;
    in->left -= size;
    return 1;
}

/* A number of size bytes after the type byte (already taken), as the unsigned integer it spells. */
static int take_unsigned(input_t *in, int size, uint64_t *value) {
    const unsigned char *bytes;
    if (!take(in, (size_t) size, &bytes)) {
        return 0;
    }
    *value = read_big_endian(bytes, size);
    return 1;
}

static int decode(lua_State *L, input_t *in);

static int decode_array(lua_State *L, input_t *in, uint64_t count) {
    lua.createtable(L, 0, 0);
    lua.checkstack_or_raise(L, 1, "in function mp_decode_to_lua_array");
    for (uint64_t index = 1; index <= count; index++) {
        lua.pushnumber(L, (double) index);
        int status = decode(L, in);
        if (status != DECODED) {
            return status;
        }
        lua.rawset(L, -3);
    }
    return DECODED;
}

static int decode_map(lua_State *L, input_t *in, uint64_t count) {
    lua.createtable(L, 0, 0);
    for (; count > 0; count--) {
        int status = decode(L, in); /* the key */
        if (status == DECODED) {
            status = decode(L, in); /* the value */
        }
        if (status != DECODED) {
            return status;
        }
        lua.rawset(L, -3); /* a nil or NaN key raises Lua's own error here */
    }
    return DECODED;
}

/* A string whose length is a length_size-byte number. */
static int decode_string(lua_State *L, input_t *in, int length_size) {
    uint64_t length;
    const unsigned char *bytes;
    if (!take_unsigned(in, length_size, &length) || !take(in, (size_t) length, &bytes)) {
        return MISSING_BYTES;
    }
    lua.pushlstring(L, (const char *) bytes, (size_t) length);
    return DECODED;
}

/* A signed integer of size bytes, two's complement. */
static int decode_signed(lua_State *L, input_t *in, int size) {
    uint64_t bits;
    if (!take_unsigned(in, size, &bits)) {
        return MISSING_BYTES;
    }
    int shift = 64 - 8 * size;
    lua.pushnumber(L, (double) ((int64_t) (bits << shift) >> shift));
    return DECODED;
}

/* Pushes the value at the input's start and moves past it. */
static int decode(lua_State *L, input_t *in) {
    const unsigned char *type;
    if (!take(in, 1, &type)) {
        return MISSING_BYTES;
    }
    /* Each value may be one more result of unpack: make room, as Redis does before every value. */
    lua.checkstack_or_raise(L, 1, "too many return values at once; use unpack_one or unpack_limit instead.");
    unsigned char t = *type;
    uint64_t value;
    if (t <= 0x7f) {
        lua.pushnumber(L, t);
        return DECODED;
    } else if (t <= 0x8f) {
        return decode_map(L, in, t & 0x0f);
    } else if (t <= 0x9f) {
        return decode_array(L, in, t & 0x0f);
    } else if (t <= 0xbf) {
        const unsigned char *bytes;
        if (!take(in, t & 0x1f, &bytes)) {
            return MISSING_BYTES;
        }
        lua.pushlstring(L, (const char *) bytes, t & 0x1f);
        return DECODED;
    } else if (t >= 0xe0) {
        lua.pushnumber(L, (signed char) t);
        return DECODED;
    }
    switch (t) {
    case 0xc0:
        lua.pushnil(L);
        return DECODED;
    case 0xc2:
    case 0xc3:
        lua.pushboolean(L, t == 0xc3);
        return DECODED;
    case 0xca:
        if (!take_unsigned(in, 4, &value)) {
            return MISSING_BYTES;
        } else {
            uint32_t bits = (uint32_t) value;
            float single;
            memcpy(&single, &bits, sizeof single);
            lua.pushnumber(L, single);
            return DECODED;
        }
    case 0xcb:
        if (!take_unsigned(in, 8, &value)) {
            return MISSING_BYTES;
        } else {
            double number;
            memcpy(&number, &value, sizeof number);
            lua.pushnumber(L, number);
            return DECODED;
        }
    case 0xcc:
    case 0xcd:
    case 0xce:
        if (!take_unsigned(in, 1 << (t - 0xcc), &value)) {
            return MISSING_BYTES;
        }
        lua.pushnumber(L, (double) value);
        return DECODED;
    case 0xcf: /* uint 64, read as signed */
    case 0xd3:
        return decode_signed(L, in, 8);
    case 0xd0:
    case 0xd1:
    case 0xd2:
        return decode_signed(L, in, 1 << (t - 0xd0));
    case 0xd9:
    case 0xda:
    case 0xdb:
        return decode_string(L, in, 1 << (t - 0xd9));
    case 0xdc:
    case 0xdd:
        if (!take_unsigned(in, t == 0xdc ? 2 : 4, &value)) {
            return MISSING_BYTES;
        }
        return decode_array(L, in, value);
    case 0xde:
    case 0xdf:
        if (!take_unsigned(in, t == 0xde ? 2 : 4, &value)) {
            return MISSING_BYTES;
        }
        return decode_map(L, in, value);
    default:
        return BAD_FORMAT;
    }
}

/*
 * Decodes up to limit values from the string argument, starting offset bytes in; limit and offset
 * both 0 mean all values, returned alone, else the offset after them (-1 at the end) comes first.
 */
static int unpack(lua_State *L, lua_Integer limit, lua_Integer offset) {
    size_t length;
    const char *s = lua.checklstring(L, 1, &length);
    int all = limit == 0 && offset == 0;
    if (offset < 0 || limit < 0) {
        /* Redis prints the input's length as the limit. */
        return lua.raise(L, "Invalid request to unpack with offset of %d and limit of %d.", (int) offset, (int) length);
    } else if ((size_t) offset > length) {
        return lua.raise(L, "Start offset %d greater than input length %d.", (int) offset, (int) length);
    }
    if (all) {
        limit = INT_MAX;
    }
    input_t in = {(const unsigned char *) s + offset, length - (size_t) offset};
    int count = 0;
    for (; in.left > 0 && count < limit; count++) {
        int status = decode(L, &in);
        if (status == MISSING_BYTES) {
            return lua.raise(L, "Missing bytes in input.");
        } else if (status == BAD_FORMAT) {
            return lua.raise(L, "Bad data format in input.");
        }
    }
    if (!all) {
        lua.checkstack_or_raise(L, 1, "in function mp_unpack_full");
        lua.pushnumber(L, in.left == 0 ? -1 : (double) (length - in.left));
        lua.insert(L, 2);
        count++;
    }
    return count;
}

/* Drops the arguments after the first (keeping none if there are none), as Redis does before unpacking. */
static void keep_first_argument(lua_State *L) {
    lua.settop(L, lua.gettop(L) > 0 ? 1 : 0);
}

int cmsgpack_unpack(lua_State *L) {
    return unpack(L, 0, 0);
}

int cmsgpack_unpack_one(lua_State *L) {
    lua_Integer offset = lua.optinteger(L, 2, 0);
    keep_first_argument(L);
    return unpack(L, 1, offset);
}

int cmsgpack_unpack_limit(lua_State *L) {
    lua_Integer limit = lua.checkinteger(L, 2);
    lua_Integer offset = lua.optinteger(L, 3, 0);
    keep_first_argument(L);
    return unpack(L, limit, offset);
}
