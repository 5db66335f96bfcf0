/*
 * LuaBitOp ("bit") as Redis gives it to scripts, as C functions: 32-bit operations on Lua
 * numbers. An argument is normalised the LuaBitOp way: 2^52+2^51 is added to the double and the low
 * 32 bits of its representation are kept, so fractions round to nearest-even and large values wrap
 * modulo 2^32; anything but a number or a numeric string is an argument error. Results are signed
 * 32-bit numbers.
 */
#include <stdint.h>
#include <string.h>

#include "bit.h"

static uint32_t bit_argument(lua_State *L, int index) {
    double n = lua.tonumber(L, index) + 6755399441055744.0;
    uint64_t bits;
    memcpy(&bits, &n, sizeof bits);
    uint32_t b = (uint32_t) bits;
    if (b == 0 && !lua.isnumber(L, index)) {
        lua.typeerror(L, index, "number");
    }
    return b;
}

static int push_bits(lua_State *L, uint32_t b) {
    lua.pushnumber(L, (int32_t) b);
    return 1;
}

int bit_tobit(lua_State *L) {
    return push_bits(L, bit_argument(L, 1));
}

int bit_bnot(lua_State *L) {
    return push_bits(L, ~bit_argument(L, 1));
}

/* LuaBitOp reads the first argument, then the others from the last one down to the second. */
#define FOLD(name, op)                                   \
    int bit_##name(lua_State *L) {                       \
        uint32_t b = bit_argument(L, 1);                 \
        for (int i = lua.gettop(L); i > 1; i--) {        \
            b op bit_argument(L, i);                     \
        }                                                \
        return push_bits(L, b);                          \
    }
FOLD(band, &=)
FOLD(bor, |=)
FOLD(bxor, ^=)

/* A shift or rotation by the second argument modulo 32. */
#define SHIFT(name, expression)                          \
    int bit_##name(lua_State *L) {                       \
        uint32_t b = bit_argument(L, 1);                 \
        uint32_t n = bit_argument(L, 2) & 31;            \
        return push_bits(L, (expression));               \
    }
SHIFT(lshift, b << n)
SHIFT(rshift, b >> n)
SHIFT(arshift, (uint32_t) ((int32_t) b >> n))
SHIFT(rol, n == 0 ? b : b << n | b >> (32 - n))
SHIFT(ror, n == 0 ? b : b >> n | b << (32 - n))

int bit_bswap(lua_State *L) {
    uint32_t b = bit_argument(L, 1);
    return push_bits(L, b >> 24 | (b >> 8 & 0xff00) | (b & 0xff00) << 8 | b << 24);
}

/* The low n hex digits (8 without n; upper case for a negative n; at most 8). */
int bit_tohex(lua_State *L) {
    uint32_t b = bit_argument(L, 1);
    int32_t n = lua.type(L, 2) == LUA_TNONE ? 8 : (int32_t) bit_argument(L, 2);
    const char *digits = "0123456789abcdef";
    if (n == INT32_MIN) {
        n = INT32_MIN + 1;
    }
    if (n < 0) {
        n = -n;
        digits = "0123456789ABCDEF";
    }
    if (n > 8) {
        n = 8;
    }
    char hex[8];
    for (int i = n - 1; i >= 0; i--) {
        hex[i] = digits[b & 15];
        b >>= 4;
    }
    lua.pushlstring(L, hex, (size_t) n);
    return 1;
}
