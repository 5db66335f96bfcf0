/* The bit library's functions (LuaBitOp), as scripts call them (bit.c). */
#ifndef POSTBOX_BIT_H
#define POSTBOX_BIT_H

#include "lua_api.h"

int bit_tobit(lua_State *L);
int bit_bnot(lua_State *L);
int bit_band(lua_State *L);
int bit_bor(lua_State *L);
int bit_bxor(lua_State *L);
int bit_lshift(lua_State *L);
int bit_rshift(lua_State *L);
int bit_arshift(lua_State *L);
int bit_rol(lua_State *L);
int bit_ror(lua_State *L);
int bit_bswap(lua_State *L);
int bit_tohex(lua_State *L);

#endif
