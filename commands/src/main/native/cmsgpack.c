/*
 * The cmsgpack library as Redis 7.0's lua-cmsgpack 0.4.0 behaves: pack, unpack, unpack_one and
 * unpack_limit, as C functions as Redis's are, so argument errors and error positions come from
 * Lua's auxiliary library itself. Queue frameworks unpack their options in nearly every script call
 * (BullMQ does in each job's add, start and finish); in Lua that cost five to eight times Redis's C.
 *
 * Encoding: a whole number in the int64 range takes the smallest integer format, any other number
 * a float when a float holds it exactly, else a double; strings use fixstr/str8/16/32; a table
 * whose keys are exactly 1..n (in C int range) is an array, any other a map in next() order; tables
 * nested 16 deep, and values msgpack cannot hold (functions, userdata...), are nil.
 *
 * Decoding goes straight onto the Lua stack, using the slots Redis's decoder uses at each nesting
 * level (a table and an index or key), so that input nested too deep fails at the same depth, with
 * the same message. Every integer becomes a Lua number, and unsigned 64-bit ones are read as
 * signed; a 32-bit float widens to a double; bin and ext types are "bad data format"; tables are
 * created empty (no size hint), which fixes the order pairs() visits their keys in.
 */
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "cmsgpack.h"
#include "output.h"

/* ---- Encoding ---- */

#define MAX_NESTING 16

typedef struct {
    output_t out;
    /* Set when encoding stops: what luaL_checkstack would say, raised once the buffer is freed. */
    const char *overflow;
    int out_of_memory;
} packer_t;

static int put(packer_t *p, const void *bytes, size_t length) {
    if (!output_append(&p->out, bytes, length)) {
        p->out_of_memory = 1;
        return 0;
    }
    return 1;
}

/* A type byte and a size-byte big-endian number. */
static int put_typed(packer_t *p, unsigned char type, uint64_t value, int size) {
    unsigned char bytes[9];
    bytes[0] = type;
    for (int i = size; i > 0; i--) {
        bytes[i] = (unsigned char) value;
        value >>= 8;
    }
    return put(p, bytes, (size_t) size + 1);
}

static int put_integer(packer_t *p, int64_t n) {
    if (n >= 0) {
        if (n <= 127) {
            return put_typed(p, (unsigned char) n, 0, 0);
        } else if (n <= 0xff) {
            return put_typed(p, 0xcc, (uint64_t) n, 1);
        } else if (n <= 0xffff) {
            return put_typed(p, 0xcd, (uint64_t) n, 2);
        } else if (n <= 0xffffffffLL) {
            return put_typed(p, 0xce, (uint64_t) n, 4);
        }
        return put_typed(p, 0xcf, (uint64_t) n, 8);
    } else if (n >= -32) {
        return put_typed(p, (unsigned char) (n & 0xff), 0, 0);
    } else if (n >= -128) {
        return put_typed(p, 0xd0, (uint64_t) n, 1);
    } else if (n >= -32768) {
        return put_typed(p, 0xd1, (uint64_t) n, 2);
    } else if (n >= INT32_MIN) {
        return put_typed(p, 0xd2, (uint64_t) n, 4);
    }
    return put_typed(p, 0xd3, (uint64_t) n, 8);
}

static int put_number(packer_t *p, double n) {
    if (n >= -9223372036854775808.0 && n < 9223372036854775808.0 && floor(n) == n) {
        return put_integer(p, (int64_t) n);
    }
    float single = (float) n;
    if ((double) single == n) {
        uint32_t bits;
        memcpy(&bits, &single, sizeof bits);
        return put_typed(p, 0xca, bits, 4);
    }
    uint64_t bits;
    memcpy(&bits, &n, sizeof bits);
    return put_typed(p, 0xcb, bits, 8);
}

static int put_string(packer_t *p, const char *s, size_t length) {
    int written;
    if (length < 32) {
        written = put_typed(p, (unsigned char) (0xa0 | length), 0, 0);
    } else if (length <= 0xff) {
        written = put_typed(p, 0xd9, length, 1);
    } else if (length <= 0xffff) {
        written = put_typed(p, 0xda, length, 2);
    } else {
        written = put_typed(p, 0xdb, length, 4);
    }
    return written && put(p, s, length);
}

/* An array or map header: a fix type up to 15 entries, else a 16- or 32-bit count. */
static int put_header(packer_t *p, size_t count, unsigned char fix, unsigned char sixteen) {
    if (count <= 15) {
        return put_typed(p, (unsigned char) (fix | count), 0, 0);
    } else if (count <= 0xffff) {
        return put_typed(p, sixteen, count, 2);
    }
    return put_typed(p, (unsigned char) (sixteen + 1), count & 0xffffffffU, 4);
}

/* luaL_checkstack, deferred: false with the message kept when the stack cannot grow. */
static int room(lua_State *L, packer_t *p, int slots, const char *where) {
    if (!lua.checkstack(L, slots)) {
        p->overflow = where;
        return 0;
    }
    return 1;
}

/* True if the keys of the table on top are exactly 1..n, each in C int range. */
static int is_array(lua_State *L, packer_t *p, int *ok) {
    int count = 0, max = 0;
    if (!room(L, p, 2, "in function table_is_an_array")) {
        *ok = 0;
        return 0;
    }
    lua.pushnil(L);
    while (lua.next(L, -2) != 0) {
        lua.settop(L, -2);
        double key = lua.type(L, -1) == LUA_TNUMBER ? lua.tonumber(L, -1) : 0;
        if (!(key > 0 && key <= INT_MAX && floor(key) == key)) {
            lua.settop(L, -2);
            return 0;
        }
        if (key > max) {
            max = (int) key;
        }
        count++;
    }
    return max == count;
}

static int pack_value(lua_State *L, packer_t *p, int level);

static int pack_table(lua_State *L, packer_t *p, int level) {
    int ok = 1;
    if (is_array(L, p, &ok)) {
        size_t length = lua.objlen(L, -1);
        if (!put_header(p, length, 0x90, 0xdc) || !room(L, p, 1, "in function mp_encode_lua_table_as_array")) {
            return 0;
        }
        for (size_t i = 1; i <= length; i++) {
            lua.rawgeti(L, -1, (int) i);
            if (!pack_value(L, p, level + 1)) {
                return 0;
            }
        }
        return 1;
    }
    if (!ok || !room(L, p, 3, "in function mp_encode_lua_table_as_map")) {
        return 0;
    }
    size_t count = 0;
    lua.pushnil(L);
    while (lua.next(L, -2) != 0) {
        lua.settop(L, -2);
        count++;
    }
    if (!put_header(p, count, 0x80, 0xde)) {
        return 0;
    }
    lua.pushnil(L);
    while (lua.next(L, -2) != 0) {
        lua.pushvalue(L, -2);
        if (!pack_value(L, p, level + 1) || !pack_value(L, p, level + 1)) {
            return 0;
        }
    }
    return 1;
}

/* Appends the encoding of the value on top of the stack and pops it. */
static int pack_value(lua_State *L, packer_t *p, int level) {
    int written;
    switch (lua.type(L, -1)) {
    case LUA_TSTRING: {
        size_t length;
        const char *s = lua.tolstring(L, -1, &length);
        written = put_string(p, s, length);
        break;
    }
    case LUA_TBOOLEAN:
        written = put_typed(p, lua.toboolean(L, -1) ? 0xc3 : 0xc2, 0, 0);
        break;
    case LUA_TNUMBER:
        written = put_number(p, lua.tonumber(L, -1));
        break;
    case LUA_TTABLE:
        written = level < MAX_NESTING ? pack_table(L, p, level) : put_typed(p, 0xc0, 0, 0);
        break;
    default:
        written = put_typed(p, 0xc0, 0, 0);
    }
    lua.settop(L, -2);
    return written;
}

int cmsgpack_pack(lua_State *L) {
    int count = lua.gettop(L);
    if (count == 0) {
        return lua.argerror(L, 0, "MessagePack pack needs input.");
    } else if (!lua.checkstack(L, count)) {
        return lua.argerror(L, 0, "Too many arguments for MessagePack pack.");
    }
    packer_t p = {0};
    output_init(&p.out);
    int packed = 1;
    for (int i = 1; i <= count && packed; i++) {
        lua.pushvalue(L, i);
        packed = pack_value(L, &p, 0);
    }
    if (packed) {
        lua.pushlstring(L, p.out.bytes, p.out.length);
    }
    output_release(&p.out);
    if (packed) {
        return 1;
    }
    return p.out_of_memory ? lua.raise(L, "not enough memory") : lua.raise(L, "stack overflow (%s)", p.overflow);
}

/* ---- Decoding ---- */

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
