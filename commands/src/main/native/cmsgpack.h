/* The cmsgpack library's functions, as scripts call them (cmsgpack.c). */
#ifndef POSTBOX_CMSGPACK_H
#define POSTBOX_CMSGPACK_H

#include "lua_api.h"

int cmsgpack_pack(lua_State *L);
int cmsgpack_unpack(lua_State *L);
int cmsgpack_unpack_one(lua_State *L);
int cmsgpack_unpack_limit(lua_State *L);

#endif
