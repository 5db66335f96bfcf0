/*
 * cjson's encode and decode (cjson_encode.c, cjson_decode.c), and how they read the settings of
 * their cjson instance (cjson_settings.c): each is a C closure over the instance's settings table
 * (cjson.lua keeps the settings and their checks), whose fields it reads on every call by names
 * interned once, its upvalues after the table.
 */
#ifndef POSTBOX_CJSON_H
#define POSTBOX_CJSON_H

#include "lua_api.h"

/* encoder(settings): cjson.encode for the instance whose settings table is given. */
int cjson_encoder(lua_State *L);

/* decoder(settings): cjson.decode for the instance whose settings table is given. */
int cjson_decoder(lua_State *L);

/* Replaces the settings table on top of the stack with a closure of function over it and the names. */
void cjson_closure(lua_State *L, lua_CFunction function, const char *const *names, int count);

/* Setting number which (an index into the closure's names) as a C int; booleans are 0 or 1. */
int cjson_setting(lua_State *L, int which);

#endif
