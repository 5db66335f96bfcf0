/* The memory of a Lua state: a lua_Alloc over slabs of one reserved address range (lua_memory.c). */
#ifndef POSTBOX_LUA_MEMORY_H
#define POSTBOX_LUA_MEMORY_H

#include <stddef.h>

typedef struct pool pool_t;

/* A pool with its address range reserved; null if there is no memory for its bookkeeping. */
pool_t *pool_new(void);

/* Unmaps the range and frees the pool: only once the state it served is closed. */
void pool_free(pool_t *pool);

/* Lua's allocator function (lua_Alloc) over the pool: frees when nsize is 0, else allocates or resizes. */
void *pool_alloc(void *pool, void *block, size_t osize, size_t nsize);

#endif
