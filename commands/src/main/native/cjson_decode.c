/*
 * cjson.decode as Redis 7.0's Lua CJSON 2.1.0 behaves, as a C function: decoding in Lua cost about
 * seven times Redis's C. It reads its cjson instance's settings on every call (see cjson.h).
 *
 * Facts of Redis's decoder kept here: the input ends at its length or at its first zero byte, as
 * a C string does, and a zero byte in its first two is UTF-16 or UTF-32, refused; numbers are what
 * strtod reads (hex, inf and nan included), and with decode_invalid_numbers off a leading '+',
 * hex, leading zeros, inf and nan are an "invalid number"; \uXXXX escapes (surrogate pairs
 * included) become UTF-8; null is cjson.null, a NULL light userdata; a syntax error says what was
 * expected, what was found (a token's name or what was wrong with it) and the 1-based character;
 * nesting past decode_max_depth, or past what the Lua stack holds (three slots a level for an
 * object, two for an array), is "too many nested data structures".
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cjson.h"

typedef enum {
    T_OBJ_BEGIN, T_OBJ_END, T_ARR_BEGIN, T_ARR_END, T_STRING, T_NUMBER, T_BOOLEAN, T_NULL, T_COLON,
    T_COMMA, T_END, T_ERROR
} token_type_t;

/* How errors name the tokens found. */
static const char *const token_names[] = {
    "T_OBJ_BEGIN", "T_OBJ_END", "T_ARR_BEGIN", "T_ARR_END", "T_STRING", "T_NUMBER", "T_BOOLEAN",
    "T_NULL", "T_COLON", "T_COMMA", "T_END", "T_ERROR",
};

typedef struct {
    token_type_t type;
    size_t index;      /* where the token starts, or where its error is (0-based) */
    const char *error; /* T_ERROR: what is wrong */
    const char *string;
    size_t length;
    double number;
    int boolean;
} token_t;

typedef struct {
    const char *data;
    const char *at;
    char *scratch; /* strings with escapes are unescaped here (as long as the input); null without any */
    int depth;
    int max_depth;
    int invalid_numbers; /* decode_invalid_numbers */
} parser_t;

static void set_error(token_t *token, const parser_t *p, const char *error) {
    token->type = T_ERROR;
    token->index = (size_t) (p->at - p->data);
    token->error = error;
}

static int hex_digit(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    c |= 0x20;
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* The four hex digits at s as a number, or -1; reads no further than a non-digit. */
static int hex4(const char *s) {
    int value = 0;
    for (int i = 0; i < 4; i++) {
        int digit = hex_digit(s[i]);
        if (digit < 0) {
            return -1;
        }
        value = value << 4 | digit;
    }
    return value;
}

static size_t put_utf8(char *out, int codepoint) {
    if (codepoint <= 0x7f) {
        out[0] = (char) codepoint;
        return 1;
    } else if (codepoint <= 0x7ff) {
        out[0] = (char) (0xc0 | codepoint >> 6);
        out[1] = (char) (0x80 | (codepoint & 0x3f));
        return 2;
    } else if (codepoint <= 0xffff) {
        out[0] = (char) (0xe0 | codepoint >> 12);
        out[1] = (char) (0x80 | (codepoint >> 6 & 0x3f));
        out[2] = (char) (0x80 | (codepoint & 0x3f));
        return 3;
    }
    out[0] = (char) (0xf0 | codepoint >> 18);
    out[1] = (char) (0x80 | (codepoint >> 12 & 0x3f));
    out[2] = (char) (0x80 | (codepoint >> 6 & 0x3f));
    out[3] = (char) (0x80 | (codepoint & 0x3f));
    return 4;
}

/* The \u escape at p->at as UTF-8 at out; the bytes written, or 0 if the escape is invalid. */
static size_t unicode_escape(parser_t *p, char *out) {
    int codepoint = hex4(p->at + 2);
    int escape_length = 6;
    if (codepoint < 0) {
        return 0;
    }
    if ((codepoint & 0xf800) == 0xd800) { /* a surrogate: a high one, then \u and a low one */
        if (codepoint & 0x400 || p->at[6] != '\\' || p->at[7] != 'u') {
            return 0;
        }
        int low = hex4(p->at + 8);
        if (low < 0 || (low & 0xfc00) != 0xdc00) {
            return 0;
        }
        codepoint = (((codepoint & 0x3ff) << 10) | (low & 0x3ff)) + 0x10000;
        escape_length = 12;
    }
    p->at += escape_length;
    return put_utf8(out, codepoint);
}

static char unescape(char c) {
    switch (c) {
    case '"':
    case '\\':
    case '/':
        return c;
    case 'b':
        return '\b';
    case 'f':
        return '\f';
    case 'n':
        return '\n';
    case 'r':
        return '\r';
    case 't':
        return '\t';
    default:
        return 0;
    }
}

/* The string at p->at (its opening quote). */
static void string_token(parser_t *p, token_t *token) {
    const char *start = ++p->at;
    const char *plain = start;
    while (*plain != '"' && *plain != '\\' && *plain != '\0') {
        plain++;
    }
    if (*plain == '"') { /* no escapes: the string is the input's own bytes */
        token->type = T_STRING;
        token->string = start;
        token->length = (size_t) (plain - start);
        p->at = plain + 1;
        return;
    }
    p->at = plain;
    if (*plain == '\0') {
        set_error(token, p, "unexpected end of string");
        return;
    }
    char *out = p->scratch; /* there is a backslash, so there is a scratch buffer */
    size_t length = (size_t) (plain - start);
    memcpy(out, start, length);
    char c;
    while ((c = *p->at) != '"') {
        if (c == '\0') {
            set_error(token, p, "unexpected end of string");
            return;
        } else if (c != '\\') {
            out[length++] = c;
            p->at++;
        } else if (p->at[1] == 'u') {
            size_t written = unicode_escape(p, out + length);
            if (written == 0) {
                set_error(token, p, "invalid unicode escape code");
                return;
            }
            length += written;
        } else {
            char unescaped = unescape(p->at[1]);
            if (unescaped == 0) {
                set_error(token, p, "invalid escape code");
                return;
            }
            out[length++] = unescaped;
            p->at += 2;
        }
    }
    p->at++;
    token->type = T_STRING;
    token->string = out;
    token->length = length;
}

/* A number JSON forbids but strtod reads: a leading '+', hex, leading zeros, inf and nan. */
static int is_invalid_number(const parser_t *p) {
    const char *s = p->at;
    if (*s == '+') {
        return 1;
    } else if (*s == '-') {
        s++;
    }
    if (*s == '0') {
        char next = s[1];
        return (next | 0x20) == 'x' || (next >= '0' && next <= '9');
    } else if (*s <= '9') { /* signed, as CJSON compares: bytes from 0x80 are ordinary too */
        return 0;
    }
    return strncasecmp(s, "inf", 3) == 0 || strncasecmp(s, "nan", 3) == 0;
}

static void number_token(parser_t *p, token_t *token) {
    char *end;
    double number = strtod(p->at, &end);
    if (end == p->at) {
        set_error(token, p, "invalid number");
        return;
    }
    token->type = T_NUMBER;
    token->number = number;
    p->at = end;
}

static void next_token(parser_t *p, token_t *token) {
    while (*p->at == ' ' || *p->at == '\t' || *p->at == '\n' || *p->at == '\r') {
        p->at++;
    }
    token->index = (size_t) (p->at - p->data);
    char c = *p->at;
    static const char single[] = "{}[]:,";
    const char *punctuation = c != '\0' ? strchr(single, c) : NULL;
    if (c == '\0') {
        token->type = T_END;
    } else if (punctuation != NULL) {
        static const token_type_t types[] = {T_OBJ_BEGIN, T_OBJ_END, T_ARR_BEGIN, T_ARR_END, T_COLON, T_COMMA};
        token->type = types[punctuation - single];
        p->at++;
    } else if (c == '"') {
        string_token(p, token);
    } else if (c == '-' || (c >= '0' && c <= '9')) {
        if (!p->invalid_numbers && is_invalid_number(p)) {
            set_error(token, p, "invalid number");
        } else {
            number_token(p, token);
        }
    } else if (strncmp(p->at, "true", 4) == 0 || strncmp(p->at, "false", 5) == 0) {
        token->type = T_BOOLEAN;
        token->boolean = c == 't';
        p->at += c == 't' ? 4 : 5;
    } else if (strncmp(p->at, "null", 4) == 0) {
        token->type = T_NULL;
        p->at += 4;
    } else if (p->invalid_numbers && is_invalid_number(p)) { /* +1, inf, nan: to strtod */
        number_token(p, token);
    } else {
        set_error(token, p, "invalid token");
    }
}

static int raise_parse_error(lua_State *L, const char *expected, const token_t *token) {
    const char *found = token->type == T_ERROR ? token->error : token_names[token->type];
    return lua.raise(L, "Expected %s but found %s at character %d", expected, found, (int) (token->index + 1));
}

/* One level deeper, with room for slots more values on the Lua stack. */
static void descend(lua_State *L, parser_t *p, int slots) {
    p->depth++;
    if (p->depth > p->max_depth || !lua.checkstack(L, slots)) {
        lua.raise(L, "Found too many nested data structures (%d) at character %d", p->depth, (int) (p->at - p->data));
    }
}

static void push_value(lua_State *L, parser_t *p, token_t *token);

static void parse_object(lua_State *L, parser_t *p) {
    token_t token;
    descend(L, p, 3); /* the table, a key and a value */
    lua.createtable(L, 0, 0);
    next_token(p, &token);
    if (token.type == T_OBJ_END) {
        p->depth--;
        return;
    }
    for (;;) {
        if (token.type != T_STRING) {
            raise_parse_error(L, "object key string", &token);
        }
        lua.pushlstring(L, token.string, token.length);
        next_token(p, &token);
        if (token.type != T_COLON) {
            raise_parse_error(L, "colon", &token);
        }
        next_token(p, &token);
        push_value(L, p, &token);
        lua.rawset(L, -3);
        next_token(p, &token);
        if (token.type == T_OBJ_END) {
            p->depth--;
            return;
        } else if (token.type != T_COMMA) {
            raise_parse_error(L, "comma or object end", &token);
        }
        next_token(p, &token);
    }
}

static void parse_array(lua_State *L, parser_t *p) {
    token_t token;
    descend(L, p, 2); /* the table and a value */
    lua.createtable(L, 0, 0);
    next_token(p, &token);
    if (token.type == T_ARR_END) {
        p->depth--;
        return;
    }
    for (int i = 1;; i++) {
        push_value(L, p, &token);
        lua.rawseti(L, -2, i);
        next_token(p, &token);
        if (token.type == T_ARR_END) {
            p->depth--;
            return;
        } else if (token.type != T_COMMA) {
            raise_parse_error(L, "comma or array end", &token);
        }
        next_token(p, &token);
    }
}

static void push_value(lua_State *L, parser_t *p, token_t *token) {
    switch (token->type) {
    case T_STRING:
        lua.pushlstring(L, token->string, token->length);
        break;
    case T_NUMBER:
        lua.pushnumber(L, token->number);
        break;
    case T_BOOLEAN:
        lua.pushboolean(L, token->boolean);
        break;
    case T_NULL:
        lua.pushlightuserdata(L, NULL); /* cjson.null */
        break;
    case T_OBJ_BEGIN:
        parse_object(L, p);
        break;
    case T_ARR_BEGIN:
        parse_array(L, p);
        break;
    default:
        raise_parse_error(L, "value", token);
    }
}

/* The settings a decoder reads. */
enum { MAX_DEPTH, INVALID_NUMBERS, SETTINGS };
static const char *const setting_names[SETTINGS] = {"decode_max_depth", "decode_invalid_numbers"};

static int decode(lua_State *L) {
    if (lua.gettop(L) != 1) {
        return lua.argerror(L, 1, "expected 1 argument");
    }
    parser_t p = {0};
    p.max_depth = cjson_setting(L, MAX_DEPTH);
    p.invalid_numbers = cjson_setting(L, INVALID_NUMBERS);
    size_t length;
    p.data = lua.checklstring(L, 1, &length);
    p.at = p.data;
    if (length >= 2 && (p.data[0] == '\0' || p.data[1] == '\0')) {
        return lua.raise(L, "JSON parser does not support UTF-16 or UTF-32");
    }
    if (memchr(p.data, '\\', length) != NULL) {
        p.scratch = lua.newuserdata(L, length); /* Lua's to free, whatever is raised */
    }
    token_t token;
    next_token(&p, &token);
    push_value(L, &p, &token);
    next_token(&p, &token);
    if (token.type != T_END) {
        return raise_parse_error(L, "the end", &token);
    }
    return 1;
}

int cjson_decoder(lua_State *L) {
    lua.settop(L, 1);
    cjson_closure(L, decode, setting_names, SETTINGS);
    return 1;
}
