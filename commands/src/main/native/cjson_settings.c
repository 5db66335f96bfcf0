/* How cjson's C functions read their instance's settings (see cjson.h). */
#include <string.h>

#include "cjson.h"

void cjson_closure(lua_State *L, lua_CFunction function, const char *const *names, int count) {
    for (int i = 0; i < count; i++) {
        lua.pushlstring(L, names[i], strlen(names[i]));
    }
    lua.pushcclosure(L, function, 1 + count);
}

int cjson_setting(lua_State *L, int which) {
    lua.pushvalue(L, lua_upvalueindex(2 + which));
    lua.rawget(L, lua_upvalueindex(1));
    double value = lua.type(L, -1) == LUA_TBOOLEAN ? lua.toboolean(L, -1) : lua.tonumber(L, -1);
    lua.settop(L, -2);
    return (int) value;
}
