/*
 * The part of the Lua 5.1 C API (lua.h, lauxlib.h) Postbox's native layer uses: its constants, and
 * its functions as pointers looked up in luajava's library (see bind() in postbox_lua.c).
 */
#ifndef POSTBOX_LUA_API_H
#define POSTBOX_LUA_API_H

#include <stddef.h>

typedef struct lua_State lua_State;
typedef int (*lua_CFunction)(lua_State *L);
typedef void *(*lua_Alloc)(void *ud, void *ptr, size_t osize, size_t nsize);

/* Lua 5.1's constants (lua.h). */
#define LUA_REGISTRYINDEX (-10000)
#define LUA_GLOBALSINDEX (-10002)
#define lua_upvalueindex(i) (LUA_GLOBALSINDEX - (i))
#define LUA_MULTRET (-1)
#define LUA_TNONE (-1)
#define LUA_TNIL 0
#define LUA_TBOOLEAN 1
#define LUA_TLIGHTUSERDATA 2
#define LUA_TNUMBER 3
#define LUA_TSTRING 4
#define LUA_TTABLE 5
#define LUA_GCSTEP 5

/* lua_Integer as luajava builds Lua 5.1 (luaconf.h): ptrdiff_t. */
typedef ptrdiff_t lua_Integer;

struct lua_api {
    int (*gettop)(lua_State *);
    void (*settop)(lua_State *, int);
    int (*type)(lua_State *, int);
    const char *(*typename_of)(lua_State *, int);
    const char *(*tolstring)(lua_State *, int, size_t *);
    double (*tonumber)(lua_State *, int);
    int (*toboolean)(lua_State *, int);
    int (*isnumber)(lua_State *, int);
    void *(*touserdata)(lua_State *, int);
    void (*pushnil)(lua_State *);
    void (*pushnumber)(lua_State *, double);
    void (*pushlstring)(lua_State *, const char *, size_t);
    void (*pushboolean)(lua_State *, int);
    void (*pushcclosure)(lua_State *, lua_CFunction, int);
    void (*pushlightuserdata)(lua_State *, void *);
    void (*pushvalue)(lua_State *, int);
    void (*insert)(lua_State *, int);
    void (*createtable)(lua_State *, int, int);
    void *(*newuserdata)(lua_State *, size_t);
    void (*rawset)(lua_State *, int);
    void (*rawseti)(lua_State *, int, int);
    void (*rawget)(lua_State *, int);
    void (*rawgeti)(lua_State *, int, int);
    int (*next)(lua_State *, int);
    size_t (*objlen)(lua_State *, int);
    int (*checkstack)(lua_State *, int);
    int (*error)(lua_State *);
    void (*setallocf)(lua_State *, lua_Alloc, void *);
    int (*pcall)(lua_State *, int, int, int);
    int (*gc)(lua_State *, int, int);
    /* lauxlib.h: argument checks and errors worded and placed as Lua's own C functions do. */
    const char *(*checklstring)(lua_State *, int, size_t *);
    double (*checknumber)(lua_State *, int);
    lua_Integer (*checkinteger)(lua_State *, int);
    lua_Integer (*optinteger)(lua_State *, int, lua_Integer);
    void (*checkstack_or_raise)(lua_State *, int, const char *);
    int (*raise)(lua_State *, const char *, ...);
    int (*argerror)(lua_State *, int, const char *);
    int (*typeerror)(lua_State *, int, const char *);
};

/* Filled in by bind() (postbox_lua.c). */
extern struct lua_api lua;

#endif
