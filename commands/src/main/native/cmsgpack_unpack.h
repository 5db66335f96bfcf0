/* cmsgpack's decoding functions, as scripts call them (cmsgpack_unpack.c). */
#ifndef POSTBOX_CMSGPACK_UNPACK_H
#define POSTBOX_CMSGPACK_UNPACK_H

#include "lua_api.h"

int cmsgpack_unpack(lua_State *L);
int cmsgpack_unpack_one(lua_State *L);
int cmsgpack_unpack_limit(lua_State *L);

#endif
