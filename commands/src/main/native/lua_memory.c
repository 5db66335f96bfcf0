/*
 * Lua's memory. Lua allocates and frees many small blocks (strings, tables, closures), and glibc's
 * malloc spends most of its time re-sorting the blocks each garbage collection step frees. Blocks
 * up to SMALL_MAX bytes come from slabs instead: 16 KB pieces of one reserved address range (its
 * pages are touched only when used), each serving one 16-byte size class. Larger blocks, and
 * everything once the range is used up, come from malloc. Lua passes a block's size with every
 * reallocation and free, so blocks need no header; a block is the pool's if its address is in the
 * range (blocks the state allocated before the pool took over are not, and go back to free()).
 *
 * Each slab keeps a bitmap of its blocks in use, and hands out its lowest free block; a class
 * allocates from one slab until it is full, then from the lowest-addressed slab of the class with
 * room, else the lowest empty slab. Live blocks so stay packed at the low end of the range, as
 * jemalloc keeps Redis's, and handing out a block does not read the block. A slab whose blocks are
 * all freed becomes empty, for any class to take. With one free list per class (linked through
 * the free blocks) instead, a script that built and dropped a large structure left that list
 * spread over everything the structure had used: every block handed out later was a cache miss,
 * and so was every object Lua's collector swept (it walks them in allocation order), and scripts
 * ran 20-30% slower from then on.
 */
#include "lua_memory.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define SMALL_MAX 512
#define SIZE_CLASSES (SMALL_MAX / 16)
#define POOL_RESERVED ((size_t) 256 << 20)
#define SLAB_BYTES ((size_t) 16 << 10)
#define SLABS ((uint32_t) (POOL_RESERVED / SLAB_BYTES))
#define WORDS (SLABS / 64)
#define NO_SLAB UINT32_MAX
#define BLOCK_WORDS (SLAB_BYTES / 16 / 64) /* bitmap words for the most blocks a slab holds */

typedef struct {
    uint16_t used;           /* blocks in use */
    uint16_t blocks;         /* blocks the slab holds in its class */
    uint8_t first_word;      /* no free block before this bitmap word */
    uint8_t class_plus_one;  /* 0 while no class holds the slab */
} slab_t;

struct pool {
    char *base;
    uint32_t slabs_touched;              /* slabs below this have been used */
    uint32_t current[SIZE_CLASSES];      /* the slab each class allocates from, or NO_SLAB */
    uint64_t roomy[SIZE_CLASSES][WORDS]; /* per class, a bit for each of its slabs with room */
    uint64_t empty[WORDS];               /* a bit for each touched slab no class holds */
    slab_t slabs[SLABS];
    uint64_t in_use[SLABS][BLOCK_WORDS]; /* per slab, a bit for each block in use */
};

pool_t *pool_new(void) {
    pool_t *pool = calloc(1, sizeof *pool);
    if (pool == NULL) {
        return NULL;
    }
    void *range = mmap(NULL, POOL_RESERVED, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    pool->base = range == MAP_FAILED ? NULL : range; /* then every block comes from malloc */
    for (int class = 0; class < SIZE_CLASSES; class++) {
        pool->current[class] = NO_SLAB;
    }
    return pool;
}

void pool_free(pool_t *pool) {
    if (pool->base != NULL) {
        munmap(pool->base, POOL_RESERVED);
    }
    free(pool);
}

static int owns(const pool_t *pool, const void *block) {
    return pool->base != NULL && (const char *) block >= pool->base && (const char *) block < pool->base + POOL_RESERVED;
}

static void set_bit(uint64_t *bits, uint32_t i) {
    bits[i / 64] |= (uint64_t) 1 << (i % 64);
}

static void clear_bit(uint64_t *bits, uint32_t i) {
    bits[i / 64] &= ~((uint64_t) 1 << (i % 64));
}

static uint32_t lowest_bit(const uint64_t *bits) {
    for (uint32_t word = 0; word < WORDS; word++) {
        if (bits[word] != 0) {
            return word * 64 + (uint32_t) __builtin_ctzll(bits[word]);
        }
    }
    return NO_SLAB;
}

static size_t class_bytes(int class) {
    return (size_t) (class + 1) * 16;
}

static int has_room(const slab_t *slab) {
    return slab->used < slab->blocks;
}

/* The lowest slab of the class with room, else the lowest empty or a new one; NO_SLAB when none is left. */
static uint32_t find_slab(pool_t *pool, int class) {
    uint32_t i = lowest_bit(pool->roomy[class]);
    if (i != NO_SLAB) {
        return i;
    }
    i = lowest_bit(pool->empty);
    if (i != NO_SLAB) {
        clear_bit(pool->empty, i);
    } else if (pool->slabs_touched < SLABS) {
        i = pool->slabs_touched++;
    } else {
        return NO_SLAB;
    }
    slab_t *slab = &pool->slabs[i];
    slab->used = 0;
    slab->blocks = (uint16_t) (SLAB_BYTES / class_bytes(class));
    slab->first_word = 0;
    slab->class_plus_one = (uint8_t) (class + 1);
    /* Blocks past the slab's end count as in use, so that they are never handed out. */
    uint64_t *bits = pool->in_use[i];
    memset(bits, 0, sizeof pool->in_use[i]);
    for (uint32_t block = slab->blocks; block < BLOCK_WORDS * 64; block++) {
        bits[block / 64] |= (uint64_t) 1 << (block % 64);
    }
    set_bit(pool->roomy[class], i);
    return i;
}

static void *take(pool_t *pool, size_t size) {
    if (size > SMALL_MAX || pool->base == NULL) {
        return malloc(size);
    }
    int class = (int) ((size - 1) / 16);
    uint32_t i = pool->current[class];
    if (i == NO_SLAB || !has_room(&pool->slabs[i])) {
        i = find_slab(pool, class);
        if (i == NO_SLAB) {
            return malloc(size);
        }
        pool->current[class] = i;
    }
    slab_t *slab = &pool->slabs[i];
    uint64_t *bits = pool->in_use[i];
    uint32_t word = slab->first_word;
    while (bits[word] == UINT64_MAX) {
        word++;
    }
    uint32_t block = word * 64 + (uint32_t) __builtin_ctzll(~bits[word]);
    bits[word] |= (uint64_t) 1 << (block % 64);
    slab->first_word = (uint8_t) word;
    slab->used++;
    if (!has_room(slab)) {
        clear_bit(pool->roomy[class], i);
    }
    return pool->base + (size_t) i * SLAB_BYTES + block * class_bytes(class);
}

static void give(pool_t *pool, void *block) {
    if (!owns(pool, block)) {
        free(block);
        return;
    }
    size_t offset = (size_t) ((char *) block - pool->base);
    uint32_t i = (uint32_t) (offset / SLAB_BYTES);
    slab_t *slab = &pool->slabs[i];
    int class = slab->class_plus_one - 1;
    uint32_t index = (uint32_t) (offset % SLAB_BYTES / class_bytes(class));
    pool->in_use[i][index / 64] &= ~((uint64_t) 1 << (index % 64));
    if (index / 64 < slab->first_word) {
        slab->first_word = (uint8_t) (index / 64);
    }
    slab->used--;
    if (slab->used == 0 && pool->current[class] != i) {
        clear_bit(pool->roomy[class], i);
        slab->class_plus_one = 0;
        set_bit(pool->empty, i);
    } else {
        set_bit(pool->roomy[class], i);
    }
}

static int same_class(size_t osize, size_t nsize) {
    return osize <= SMALL_MAX && nsize <= SMALL_MAX && (osize - 1) / 16 == (nsize - 1) / 16;
}

void *pool_alloc(void *ud, void *block, size_t osize, size_t nsize) {
    pool_t *pool = ud;
    if (nsize == 0) {
        if (block != NULL) {
            give(pool, block);
        }
        return NULL;
    }
    if (block == NULL) {
        return take(pool, nsize);
    }
    int owned = owns(pool, block);
    if (owned && same_class(osize, nsize)) {
        return block;
    }
    if (!owned && nsize > SMALL_MAX) {
        return realloc(block, nsize);
    }
    void *moved = take(pool, nsize);
    if (moved == NULL) {
        return NULL;
    }
    memcpy(moved, block, osize < nsize ? osize : nsize);
    give(pool, block);
    return moved;
}
