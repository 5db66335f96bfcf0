/*
 * Postbox's own native layer over the Lua 5.1 that luajava loaded: the parts of scripting where
 * luajava's JNI surface costs most (every string crossing builds a Java object or a native copy,
 * every Java function writes a global). Values cross in one go, as a tape: a byte buffer that Java
 * and C share, holding tagged values (see NativeLua.java for the format).
 *
 * - redis.call and redis.pcall are C functions here: they copy the arguments onto the tape, call
 *   Java once, and turn the reply Java left on the tape into Lua values.
 * - Java pushes values (KEYS, ARGV, redis.error_reply's table) by writing them to the tape.
 * - A script's result is walked here and written to the tape as Redis would convert it.
 * - The script libraries (bit, cjson, cmsgpack, struct) are C functions, as Redis's are (bit.c,
 *   cjson_*.c, cmsgpack.c, struct.c); what is written in Lua (math.random, cjson's settings) is
 *   made C functions here that call the Lua implementations, without going through Java.
 *
 * The Lua C API is not linked: its functions are looked up in luajava's library, which the JVM
 * loaded privately (RTLD_LOCAL), so Lua states, strings and tables are the ones luajava made.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <jni.h>
#include <link.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bit.h"
#include "cjson.h"
#include "cmsgpack.h"
#include "lua_api.h"
#include "lua_memory.h"
#include "struct.h"

/* Tape tags, shared with NativeLua.java. */
enum {
    TAG_NIL = 0,
    TAG_FALSE = 1,
    TAG_TRUE = 2,
    TAG_NUMBER = 3,
    TAG_STRING = 4,
    TAG_ARRAY = 5,
    TAG_HASH = 6,
    TAG_SET = 7,
    TAG_ERROR = 8,
    TAG_STATUS = 9,
    TAG_DOUBLE = 10,
    TAG_BIG_NUMBER = 11,
    TAG_MAP = 12,
    TAG_VERBATIM = 13,
    TAG_STACK_LIMIT = 14,
    TAG_COUNTED_ERROR = 15
};

struct lua_api lua;

/* What the C functions of one Lua state share with Java: the Java side, the tape, Lua's memory. */
typedef struct {
    jobject target;
    /* Looked up on the target's own (final) class: a call through an interface's method id resolves
       the interface's method table on every call. */
    jmethodID call_method;
    jmethodID grow_method;
    unsigned char *tape;
    size_t capacity;
    size_t used;
    pool_t *pool;
    /* Scripts run since the last garbage collection step (see run_script). */
    int runs_since_gc_step;
} bridge_t;

/* As Redis (LUA_GC_CYCLE_PERIOD): a collection step of this size every this many scripts, so that
   garbage does not wait for a full cycle, which would stall one script for longer. */
#define GC_STEP_PERIOD 50

static JavaVM *vm;

static JNIEnv *env_of_thread(void) {
    JNIEnv *env = NULL;
    (*vm)->GetEnv(vm, (void **) &env, JNI_VERSION_1_8);
    return env;
}

/* ---- Writing the tape (C to Java) ---- */

/* Makes room for n more bytes; Java allocates the larger tape and retargets the bridge. */
static int reserve(bridge_t *b, size_t n) {
    if (b->used + n <= b->capacity) {
        return 1;
    }
    JNIEnv *env = env_of_thread();
    (*env)->CallVoidMethod(env, b->target, b->grow_method, (jlong) (b->used + n));
    if ((*env)->ExceptionCheck(env)) {
        /* Out of memory: said on standard error and cleared; the caller answers with an error. */
        (*env)->ExceptionDescribe(env);
        return 0;
    }
    return b->used + n <= b->capacity;
}

static int put_tag(bridge_t *b, unsigned char tag) {
    if (!reserve(b, 1)) {
        return 0;
    }
    b->tape[b->used++] = tag;
    return 1;
}

/* A tag and a fixed-size payload: a length (or count) or a number. */
static int put_fixed(bridge_t *b, unsigned char tag, const void *payload, size_t size) {
    if (!reserve(b, 1 + size)) {
        return 0;
    }
    b->tape[b->used] = tag;
    memcpy(b->tape + b->used + 1, payload, size);
    b->used += 1 + size;
    return 1;
}

static int put_length(bridge_t *b, unsigned char tag, uint32_t length) {
    return put_fixed(b, tag, &length, sizeof length);
}

static int put_bytes(bridge_t *b, unsigned char tag, const char *bytes, size_t length) {
    if (length > UINT32_MAX || !put_length(b, tag, (uint32_t) length) || !reserve(b, length)) {
        return 0;
    }
    memcpy(b->tape + b->used, bytes, length);
    b->used += length;
    return 1;
}

static int put_number(bridge_t *b, unsigned char tag, double value) {
    return put_fixed(b, tag, &value, sizeof value);
}

/*
 * A number as Redis passes it to a command: C's %.17g. Integers, the common case (counts, limits,
 * times), print the same digits, written here without printf, which costs more than the command.
 */
static size_t format_number(double value, char *out, size_t size) {
    if (!(value == (double) (long long) value && fabs(value) < 1e15 && !(value == 0 && signbit(value)))) {
        return (size_t) snprintf(out, size, "%.17g", value);
    }
    long long integer = (long long) value;
    unsigned long long magnitude = integer < 0 ? 0ULL - (unsigned long long) integer : (unsigned long long) integer;
    char reversed[20];
    size_t digits = 0, length = 0;
    do {
        reversed[digits++] = (char) ('0' + magnitude % 10);
        magnitude /= 10;
    } while (magnitude != 0);
    if (integer < 0) {
        out[length++] = '-';
    }
    while (digits > 0) {
        out[length++] = reversed[--digits];
    }
    return length;
}

/* ---- Reading the tape (Java to Lua) ---- */

static uint32_t read_length(const unsigned char **at) {
    uint32_t length;
    memcpy(&length, *at, 4);
    *at += 4;
    return length;
}

/* Pushes the value at *at, moving past it; nested values need two stack slots per level. */
static int push_value(lua_State *L, const unsigned char **at) {
    unsigned char tag = *(*at)++;
    switch (tag) {
    case TAG_NIL:
        lua.pushnil(L);
        return 1;
    case TAG_FALSE:
    case TAG_TRUE:
        lua.pushboolean(L, tag == TAG_TRUE);
        return 1;
    case TAG_NUMBER: {
        double value;
        memcpy(&value, *at, 8);
        *at += 8;
        lua.pushnumber(L, value);
        return 1;
    }
    case TAG_STRING: {
        uint32_t length = read_length(at);
        lua.pushlstring(L, (const char *) *at, length);
        *at += length;
        return 1;
    }
    case TAG_ARRAY: {
        uint32_t count = read_length(at);
        if (!lua.checkstack(L, 2)) {
            return 0;
        }
        lua.createtable(L, (int) count, 0);
        for (uint32_t i = 1; i <= count; i++) {
            if (!push_value(L, at)) {
                return 0;
            }
            lua.rawseti(L, -2, (int) i);
        }
        return 1;
    }
    case TAG_HASH:
    case TAG_SET: {
        uint32_t count = read_length(at);
        if (!lua.checkstack(L, 3)) {
            return 0;
        }
        lua.createtable(L, 0, (int) count);
        for (uint32_t i = 0; i < count; i++) {
            if (!push_value(L, at)) {
                return 0;
            }
            if (tag == TAG_SET) {
                lua.pushboolean(L, 1);
            } else if (!push_value(L, at)) {
                return 0;
            }
            lua.rawset(L, -3);
        }
        return 1;
    }
    default:
        return 0;
    }
}

static int push_values(lua_State *L, const unsigned char *at, int count) {
    for (int i = 0; i < count; i++) {
        if (!push_value(L, &at)) {
            return 0;
        }
    }
    return 1;
}

/* ---- redis.call and redis.pcall ---- */

/* Raises message from this C function's frame. */
static int raise_message(lua_State *L, const char *message) {
    lua.pushlstring(L, message, strlen(message));
    return lua.error(L);
}

/*
 * Upvalues: the bridge, and whether errors are raised (call) or returned (pcall). The arguments go
 * to Java as strings (numbers as %.17g formats them); an argument of another type makes the count
 * -1, and Java answers with Redis's error. Java leaves one value on the tape and says whether it is
 * an error to raise.
 */
static int redis_call(lua_State *L) {
    bridge_t *b = lua.touserdata(L, lua_upvalueindex(1));
    int raise = lua.toboolean(L, lua_upvalueindex(2));
    int argc = lua.gettop(L);
    b->used = 0;
    for (int i = 1; i <= argc; i++) {
        int type = lua.type(L, i);
        size_t length;
        const char *bytes;
        char number[32];
        if (type == LUA_TSTRING) {
            bytes = lua.tolstring(L, i, &length);
        } else if (type == LUA_TNUMBER) {
            length = format_number(lua.tonumber(L, i), number, sizeof number);
            bytes = number;
        } else {
            argc = -1;
            break;
        }
        if (!put_bytes(b, TAG_STRING, bytes, length)) {
            return raise_message(L, "ERR out of memory passing arguments to a command");
        }
    }
    JNIEnv *env = env_of_thread();
    jint status = (*env)->CallIntMethod(env, b->target, b->call_method, (jint) argc, (jboolean) raise);
    if ((*env)->ExceptionCheck(env)) {
        (*env)->ExceptionDescribe(env);
        return raise_message(L, "ERR internal error running a command from the script");
    }
    lua.settop(L, 0);
    if (!push_values(L, b->tape, 1)) {
        return raise_message(L, "ERR reached lua stack limit");
    }
    return status ? lua.error(L) : 1;
}

/* ---- A script's result, as Redis converts it (Lua to the caller's reply) ---- */

/*
 * An aggregate being written. Nested tables are walked with these frames, not recursion: a table
 * may hold itself, and only Lua's stack limit ends that. Above an array's table nothing is left on
 * the stack; above a map's or set's wrapper its inner table and the traversal key.
 */
typedef struct {
    enum { FRAME_ARRAY, FRAME_MAP, FRAME_SET } kind;
    int length;
    int index;
    int value_pending;
} frame_t;

/* Pushes field name of the table at index -1 (raw) and returns its type. */
static int field(lua_State *L, const char *name) {
    lua.pushlstring(L, name, strlen(name));
    lua.rawget(L, -2);
    return lua.type(L, -1);
}

/* Field name of the table at -1 if it is a string (held by the table), else null; the stack is unchanged. */
static const char *string_field(lua_State *L, const char *name, size_t *length) {
    const char *bytes = field(L, name) == LUA_TSTRING ? lua.tolstring(L, -1, length) : NULL;
    lua.settop(L, -2);
    return bytes;
}

static int count_pairs(lua_State *L) {
    int count = 0;
    lua.pushnil(L);
    while (lua.next(L, -2)) {
        lua.settop(L, -2);
        count++;
    }
    return count;
}

/* The table at -1: a special reply if it has one of Redis's fields, else an array up to the first nil. */
static int encode_table(lua_State *L, bridge_t *b, frame_t *opened, int *ok) {
    size_t length;
    const char *text;
    if ((text = string_field(L, "err", &length)) != NULL) {
        /* redis.pcall's error tables say that INFO errorstats counted them already. */
        int counted = field(L, "ignore_error_stats_update") == LUA_TBOOLEAN && lua.toboolean(L, -1);
        lua.settop(L, -2);
        *ok = put_bytes(b, counted ? TAG_COUNTED_ERROR : TAG_ERROR, text, length);
        return 0;
    }
    if ((text = string_field(L, "ok", &length)) != NULL) {
        *ok = put_bytes(b, TAG_STATUS, text, length);
        return 0;
    }
    if (field(L, "double") == LUA_TNUMBER) {
        *ok = put_number(b, TAG_DOUBLE, lua.tonumber(L, -1));
        lua.settop(L, -2);
        return 0;
    }
    lua.settop(L, -2);
    if ((text = string_field(L, "big_number", &length)) != NULL) {
        *ok = put_bytes(b, TAG_BIG_NUMBER, text, length);
        return 0;
    }
    if (field(L, "map") == LUA_TTABLE) {
        *ok = put_length(b, TAG_MAP, (uint32_t) count_pairs(L));
        lua.pushnil(L);
        *opened = (frame_t) {FRAME_MAP, 0, 0, 0};
        return 1;
    }
    lua.settop(L, -2);
    if (field(L, "set") == LUA_TTABLE) {
        *ok = put_length(b, TAG_SET, (uint32_t) count_pairs(L));
        lua.pushnil(L);
        *opened = (frame_t) {FRAME_SET, 0, 0, 0};
        return 1;
    }
    lua.settop(L, -2);
    if (field(L, "verbatim_string") == LUA_TTABLE) {
        size_t format_length;
        const char *format = string_field(L, "format", &format_length);
        text = string_field(L, "string", &length);
        if (format != NULL && text != NULL) {
            *ok = put_tag(b, TAG_VERBATIM) && put_bytes(b, TAG_STRING, format, format_length)
                  && put_bytes(b, TAG_STRING, text, length);
            lua.settop(L, -2);
            return 0;
        }
    }
    lua.settop(L, -2);
    int count = 0;
    while (1) {
        lua.rawgeti(L, -1, count + 1);
        int nil = lua.type(L, -1) == LUA_TNIL;
        lua.settop(L, -2);
        if (nil) {
            break;
        }
        count++;
    }
    *ok = put_length(b, TAG_ARRAY, (uint32_t) count);
    *opened = (frame_t) {FRAME_ARRAY, count, 0, 0};
    return 1;
}

/* Writes the value at -1, or an aggregate's header: then returns 1 with the frame that fills it. */
static int encode_value(lua_State *L, bridge_t *b, frame_t *opened, int *ok) {
    if (!lua.checkstack(L, 4)) {
        *ok = put_tag(b, TAG_STACK_LIMIT);
        return 0;
    }
    switch (lua.type(L, -1)) {
    case LUA_TSTRING: {
        size_t length;
        const char *bytes = lua.tolstring(L, -1, &length);
        *ok = put_bytes(b, TAG_STRING, bytes, length);
        return 0;
    }
    case LUA_TNUMBER:
        *ok = put_number(b, TAG_NUMBER, lua.tonumber(L, -1));
        return 0;
    case LUA_TBOOLEAN:
        *ok = put_tag(b, lua.toboolean(L, -1) ? TAG_TRUE : TAG_FALSE);
        return 0;
    case LUA_TTABLE:
        return encode_table(L, b, opened, ok);
    default:
        *ok = put_tag(b, TAG_NIL);
        return 0;
    }
}

/* Pushes the frame's next element to write; 0 when there is none left. */
static int next_element(lua_State *L, frame_t *frame) {
    switch (frame->kind) {
    case FRAME_ARRAY:
        if (frame->index == frame->length) {
            return 0;
        }
        lua.rawgeti(L, -1, ++frame->index);
        return 1;
    case FRAME_MAP:
        /* Stack: inner table, key. A key is written, then its value. */
        if (frame->value_pending) {
            frame->value_pending = 0;
            return 1;
        }
        if (!lua.next(L, -2)) {
            return 0;
        }
        lua.pushvalue(L, -2);
        frame->value_pending = 1;
        return 1;
    default:
        if (!lua.next(L, -2)) {
            return 0;
        }
        lua.settop(L, -2);
        lua.pushvalue(L, -1);
        return 1;
    }
}

/* Writes the value at the top to the tape; the stack is left as it was. */
static int encode(lua_State *L, bridge_t *b) {
    int base = lua.gettop(L);
    int ok = 1;
    /* Most results nest a level or two: their frames live on the C stack, deeper ones on the heap. */
    frame_t shallow[16];
    frame_t *frames = shallow;
    size_t depth = 0, capacity = sizeof shallow / sizeof shallow[0];
    if (encode_value(L, b, &frames[0], &ok)) {
        depth = 1;
    }
    while (ok && depth > 0) {
        frame_t *frame = &frames[depth - 1];
        if (!next_element(L, frame)) {
            /* Pops what is above the finished table, and the table unless it is the outermost. */
            int above = frame->kind == FRAME_ARRAY ? 0 : 1;
            depth--;
            lua.settop(L, -1 - above - (depth > 0 ? 1 : 0));
            continue;
        }
        if (depth == capacity) {
            frame_t *grown = frames == shallow ? malloc(2 * capacity * sizeof *frames)
                                               : realloc(frames, 2 * capacity * sizeof *frames);
            if (grown == NULL) {
                ok = 0;
                break;
            }
            if (frames == shallow) {
                memcpy(grown, shallow, sizeof shallow);
            }
            frames = grown;
            capacity *= 2;
        }
        if (!encode_value(L, b, &frames[depth], &ok)) {
            lua.settop(L, -2);
        } else {
            depth++;
        }
    }
    if (frames != shallow) {
        free(frames);
    }
    lua.settop(L, base);
    return ok;
}

/* ---- The script libraries' functions ---- */

/*
 * A library function as scripts see Redis's: a C function, whose upvalue is the Lua implementation.
 * It calls that in protected mode and raises its error again from its own frame, so that the error's
 * position and the script error handler read the caller's line, even after a tail call (support.lua
 * finds that caller from here).
 */
static int library_function(lua_State *L) {
    int args = lua.gettop(L);
    lua.pushvalue(L, lua_upvalueindex(1));
    lua.insert(L, 1);
    if (lua.pcall(L, args, LUA_MULTRET, 0) != 0) {
        return lua.error(L);
    }
    return lua.gettop(L);
}

/* bridge(f), which support.lua calls for each library function: f as a library function. */
static int library_bridge(lua_State *L) {
    lua.settop(L, 1);
    lua.pushcclosure(L, library_function, 1);
    return 1;
}

static void set_function(lua_State *L, const char *name, lua_CFunction function) {
    lua.pushlstring(L, name, strlen(name));
    lua.pushcclosure(L, function, 0);
    lua.rawset(L, -3);
}

/* ---- JNI entry points (registered on io.postbox.commands.scripting.NativeLua) ---- */

static const struct {
    const char *name;
    void **slot;
} api[] = {
    {"lua_gettop", (void **) &lua.gettop},
    {"lua_settop", (void **) &lua.settop},
    {"lua_type", (void **) &lua.type},
    {"lua_typename", (void **) &lua.typename_of},
    {"lua_tolstring", (void **) &lua.tolstring},
    {"lua_tonumber", (void **) &lua.tonumber},
    {"lua_toboolean", (void **) &lua.toboolean},
    {"lua_isnumber", (void **) &lua.isnumber},
    {"lua_touserdata", (void **) &lua.touserdata},
    {"lua_pushnil", (void **) &lua.pushnil},
    {"lua_pushnumber", (void **) &lua.pushnumber},
    {"lua_pushlstring", (void **) &lua.pushlstring},
    {"lua_pushboolean", (void **) &lua.pushboolean},
    {"lua_pushcclosure", (void **) &lua.pushcclosure},
    {"lua_pushlightuserdata", (void **) &lua.pushlightuserdata},
    {"lua_pushvalue", (void **) &lua.pushvalue},
    {"lua_insert", (void **) &lua.insert},
    {"lua_createtable", (void **) &lua.createtable},
    {"lua_newuserdata", (void **) &lua.newuserdata},
    {"lua_rawset", (void **) &lua.rawset},
    {"lua_rawseti", (void **) &lua.rawseti},
    {"lua_rawget", (void **) &lua.rawget},
    {"lua_rawgeti", (void **) &lua.rawgeti},
    {"lua_next", (void **) &lua.next},
    {"lua_objlen", (void **) &lua.objlen},
    {"lua_checkstack", (void **) &lua.checkstack},
    {"lua_error", (void **) &lua.error},
    {"lua_setallocf", (void **) &lua.setallocf},
    {"lua_pcall", (void **) &lua.pcall},
    {"lua_gc", (void **) &lua.gc},
    {"luaL_checklstring", (void **) &lua.checklstring},
    {"luaL_checknumber", (void **) &lua.checknumber},
    {"luaL_checkinteger", (void **) &lua.checkinteger},
    {"luaL_optinteger", (void **) &lua.optinteger},
    {"luaL_checkstack", (void **) &lua.checkstack_or_raise},
    {"luaL_error", (void **) &lua.raise},
    {"luaL_argerror", (void **) &lua.argerror},
    {"luaL_typerror", (void **) &lua.typeerror},
};

/* The loaded object that is luajava's Lua 5.1: it has luajava's JNI functions for lua51. */
static const char *LUAJAVA_MARK = "Java_party_iroiro_luajava_lua51_Lua51Natives_luaL_1newstate";

static int find_luajava(struct dl_phdr_info *info, size_t size, void *found) {
    (void) size;
    if (info->dlpi_name == NULL || info->dlpi_name[0] == '\0') {
        return 0;
    }
    void *handle = dlopen(info->dlpi_name, RTLD_LAZY | RTLD_NOLOAD);
    if (handle == NULL) {
        return 0;
    }
    if (dlsym(handle, LUAJAVA_MARK) != NULL) {
        *(void **) found = handle;
        return 1;
    }
    dlclose(handle);
    return 0;
}

/* Finds the Lua API in luajava's library; returns null, or what is missing. */
static jstring JNICALL bind(JNIEnv *env, jclass cls) {
    (void) cls;
    void *handle = NULL;
    dl_iterate_phdr(find_luajava, &handle);
    if (handle == NULL) {
        return (*env)->NewStringUTF(env, "luajava's lua51 library is not loaded");
    }
    for (size_t i = 0; i < sizeof api / sizeof api[0]; i++) {
        *api[i].slot = dlsym(handle, api[i].name);
        if (*api[i].slot == NULL) {
            return (*env)->NewStringUTF(env, api[i].name);
        }
    }
    return NULL;
}

/* Opens the bridge of a fresh state, whose memory the pool serves from now on. */
static jlong JNICALL open_bridge(JNIEnv *env, jclass cls, jlong state, jobject target) {
    (void) cls;
    bridge_t *b = calloc(1, sizeof *b);
    if (b != NULL) {
        b->target = (*env)->NewGlobalRef(env, target);
        jclass type = (*env)->GetObjectClass(env, target);
        b->call_method = (*env)->GetMethodID(env, type, "call", "(IZ)I");
        b->grow_method = (*env)->GetMethodID(env, type, "grow", "(J)V");
        b->pool = pool_new();
        if (b->pool != NULL) {
            lua.setallocf((lua_State *) (intptr_t) state, pool_alloc, b->pool);
        }
    }
    return (jlong) (intptr_t) b;
}

static void JNICALL retarget(JNIEnv *env, jclass cls, jlong bridge, jobject tape) {
    (void) cls;
    bridge_t *b = (bridge_t *) (intptr_t) bridge;
    b->tape = (*env)->GetDirectBufferAddress(env, tape);
    b->capacity = (size_t) (*env)->GetDirectBufferCapacity(env, tape);
}

/* Frees the bridge once its state is closed (closing the state frees its blocks into the pool). */
static void JNICALL close_bridge(JNIEnv *env, jclass cls, jlong bridge) {
    (void) cls;
    bridge_t *b = (bridge_t *) (intptr_t) bridge;
    (*env)->DeleteGlobalRef(env, b->target);
    if (b->pool != NULL) {
        pool_free(b->pool);
    }
    free(b);
}

static void JNICALL push_call(JNIEnv *env, jclass cls, jlong state, jlong bridge, jboolean raise) {
    (void) env;
    (void) cls;
    lua_State *L = (lua_State *) (intptr_t) state;
    lua.pushlightuserdata(L, (void *) (intptr_t) bridge);
    lua.pushboolean(L, raise);
    lua.pushcclosure(L, redis_call, 2);
}

/* What the script libraries get from this layer (see ScriptLibraries.java): a table of C functions. */
static void JNICALL push_library_natives(JNIEnv *env, jclass cls, jlong state) {
    (void) env;
    (void) cls;
    lua_State *L = (lua_State *) (intptr_t) state;
    lua.createtable(L, 0, 22);
    set_function(L, "bridge", library_bridge);
    set_function(L, "bit_tobit", bit_tobit);
    set_function(L, "bit_bnot", bit_bnot);
    set_function(L, "bit_band", bit_band);
    set_function(L, "bit_bor", bit_bor);
    set_function(L, "bit_bxor", bit_bxor);
    set_function(L, "bit_lshift", bit_lshift);
    set_function(L, "bit_rshift", bit_rshift);
    set_function(L, "bit_arshift", bit_arshift);
    set_function(L, "bit_rol", bit_rol);
    set_function(L, "bit_ror", bit_ror);
    set_function(L, "bit_bswap", bit_bswap);
    set_function(L, "bit_tohex", bit_tohex);
    set_function(L, "cjson_encoder", cjson_encoder);
    set_function(L, "cjson_decoder", cjson_decoder);
    set_function(L, "cmsgpack_pack", cmsgpack_pack);
    set_function(L, "cmsgpack_unpack", cmsgpack_unpack);
    set_function(L, "cmsgpack_unpack_one", cmsgpack_unpack_one);
    set_function(L, "cmsgpack_unpack_limit", cmsgpack_unpack_limit);
    set_function(L, "struct_pack", struct_pack);
    set_function(L, "struct_unpack", struct_unpack);
    set_function(L, "struct_size", struct_size);
}

static jboolean JNICALL push_tape(JNIEnv *env, jclass cls, jlong state, jlong bridge, jint count) {
    (void) env;
    (void) cls;
    bridge_t *b = (bridge_t *) (intptr_t) bridge;
    return (jboolean) push_values((lua_State *) (intptr_t) state, b->tape, count);
}

/*
 * Runs a script: function (a registry ref) under the sandbox's error handler (a ref), with the tape's
 * first two values (KEYS and ARGV) as its two arguments (as_arguments) or as those globals, set
 * straight into the globals table (a ref) as Redis sets them. Returns 0 with the result left on the
 * stack and written to the tape, -1 if the tape could not hold it, or Lua's error status with the
 * error value left on the stack.
 */
static jint JNICALL run_script(JNIEnv *env, jclass cls, jlong state, jlong bridge, jint handler, jint globals,
                               jint function, jboolean as_arguments) {
    (void) env;
    (void) cls;
    lua_State *L = (lua_State *) (intptr_t) state;
    bridge_t *b = (bridge_t *) (intptr_t) bridge;
    lua.settop(L, 0);
    lua.rawgeti(L, LUA_REGISTRYINDEX, handler);
    lua.rawgeti(L, LUA_REGISTRYINDEX, function);
    int status;
    if (as_arguments) {
        push_values(L, b->tape, 2);
        status = lua.pcall(L, 2, 1, 1);
    } else {
        const unsigned char *at = b->tape;
        lua.rawgeti(L, LUA_REGISTRYINDEX, globals);
        lua.pushlstring(L, "KEYS", 4);
        push_value(L, &at);
        lua.rawset(L, -3);
        lua.pushlstring(L, "ARGV", 4);
        push_value(L, &at);
        lua.rawset(L, -3);
        lua.settop(L, -2);
        status = lua.pcall(L, 0, 1, 1);
    }
    if (++b->runs_since_gc_step == GC_STEP_PERIOD) {
        lua.gc(L, LUA_GCSTEP, GC_STEP_PERIOD);
        b->runs_since_gc_step = 0;
    }
    if (status != 0) {
        return status;
    }
    b->used = 0;
    if (!encode(L, b) || b->used > INT32_MAX) {
        return -1;
    }
    lua.settop(L, 0);
    return 0;
}

static const JNINativeMethod methods[] = {
    {"bind", "()Ljava/lang/String;", (void *) bind},
    {"open", "(JLio/postbox/commands/scripting/NativeLua$Calls;)J", (void *) open_bridge},
    {"retarget", "(JLjava/nio/ByteBuffer;)V", (void *) retarget},
    {"close", "(J)V", (void *) close_bridge},
    {"pushCall", "(JJZ)V", (void *) push_call},
    {"pushTape", "(JJI)Z", (void *) push_tape},
    {"pushLibraryNatives", "(J)V", (void *) push_library_natives},
    {"runScript", "(JJIIIZ)I", (void *) run_script},
};

JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM *loaded, void *reserved) {
    (void) reserved;
    vm = loaded;
    JNIEnv *env = env_of_thread();
    jclass natives = (*env)->FindClass(env, "io/postbox/commands/scripting/NativeLua");
    if (natives == NULL
        || (*env)->RegisterNatives(env, natives, methods, sizeof methods / sizeof methods[0]) != 0) {
        return JNI_ERR;
    }
    return JNI_VERSION_1_8;
}
