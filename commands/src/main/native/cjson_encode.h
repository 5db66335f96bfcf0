/* cjson.encode (cjson_encode.c). */
#ifndef POSTBOX_CJSON_ENCODE_H
#define POSTBOX_CJSON_ENCODE_H

#include "lua_api.h"

/* encoder(settings): cjson.encode for the instance whose settings table is given. */
int cjson_encoder(lua_State *L);

#endif
