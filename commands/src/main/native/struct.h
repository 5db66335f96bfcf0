/* The struct library's functions, as scripts call them (struct.c). */
#ifndef POSTBOX_STRUCT_H
#define POSTBOX_STRUCT_H

#include "lua_api.h"

int struct_pack(lua_State *L);
int struct_unpack(lua_State *L);
int struct_size(lua_State *L);

#endif
