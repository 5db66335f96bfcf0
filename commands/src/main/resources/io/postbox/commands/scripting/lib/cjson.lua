-- Lua CJSON 2.1.0 as Redis ships it: cjson.encode, cjson.decode, their settings, cjson.null and
-- cjson.new (an instance with its own settings). Encoding is C, from the native layer
-- (cjson_encode.c), with the instance's settings table (cfg) as the encoder's upvalue.
-- Decoding: the input is read as C reads it (up to a zero byte); numbers are what strtod accepts,
-- which takes hex, inf and nan while decode_invalid_numbers is on; null decodes as cjson.null.
local S = ...
local fail, argerror, checkstring, checkinteger = S.fail, S.argerror, S.checkstring, S.checkinteger
local null = S.null
local ipairs, select, type, tonumber = ipairs, select, type, tonumber
local byte, char, find, lower, match, sub =
  string.byte, string.char, string.find, string.lower, string.match, string.sub
local concat = table.concat
local floor = math.floor

local INT_MAX = 2147483647

---------------------------------------------------------------------------------------------------
-- Decoding. The parser state is a table { s, pos (1-based), depth, cfg }; the input ends at its
-- length or its first zero byte, as a C string does.

local WHITESPACE = { [32] = true, [9] = true, [10] = true, [13] = true }
local PUNCTUATION = { -- by byte
  [123] = "T_OBJ_BEGIN", [125] = "T_OBJ_END", [91] = "T_ARR_BEGIN", [93] = "T_ARR_END",
  [58] = "T_COLON", [44] = "T_COMMA",
}

local UNESCAPE = {
  b = "\b", f = "\f", n = "\n", r = "\r", t = "\t", ['"'] = '"', ["\\"] = "\\", ["/"] = "/",
}

local function parseerror(expected, found, index)
  fail("Expected " .. expected .. " but found " .. found .. " at character " .. index)
end

-- The end of the number strtod reads at pos (exclusive), or nil if it reads none.
local function strtodend(s, pos)
  local p = pos
  local c = byte(s, p)
  if c == 43 or c == 45 then -- + -
    p = p + 1
  end
  local word = lower(sub(s, p, p + 7))
  if word == "infinity" then
    return p + 8
  elseif sub(word, 1, 3) == "inf" then
    return p + 3
  elseif sub(word, 1, 3) == "nan" then
    return match(s, "^%([%w_]*%)()", p + 3) or p + 3
  end
  local hex = match(s, "^0[xX]()", p)
  local digits, exponent = "%d", "^[eE][+-]?%d+()"
  if hex and find(s, "^%.?%x", hex) then
    p, digits, exponent = hex, "%x", "^[pP][+-]?%d+()"
  end
  local integral = match(s, "^" .. digits .. "*()", p)
  local stop = integral
  if byte(s, stop) == 46 then -- .
    stop = match(s, "^" .. digits .. "*()", stop + 1)
  end
  if integral == p and stop <= integral + 1 then -- no digits at all
    return nil
  end
  return match(s, exponent, stop) or stop
end

-- CJSON's check for numbers JSON forbids: a leading +, hex, leading zeros, inf and nan.
local function invalidnumber(s, pos)
  local c = byte(s, pos)
  if c == 43 then
    return true
  end
  if c == 45 then
    pos = pos + 1
    c = byte(s, pos)
  end
  if c == 48 then
    local c2 = byte(s, pos + 1)
    return c2 ~= nil and (c2 == 120 or c2 == 88 or (c2 >= 48 and c2 <= 57))
  elseif c == nil or c <= 57 then
    return false
  end
  local word = lower(sub(s, pos, pos + 2))
  return word == "inf" or word == "nan"
end

local function hex4(s, pos)
  local digits = match(s, "^%x%x%x%x", pos)
  return digits and tonumber(digits, 16)
end

local function utf8(cp)
  if cp < 0x80 then
    return char(cp)
  elseif cp < 0x800 then
    return char(0xc0 + floor(cp / 0x40), 0x80 + cp % 0x40)
  elseif cp < 0x10000 then
    return char(0xe0 + floor(cp / 0x1000), 0x80 + floor(cp / 0x40) % 0x40, 0x80 + cp % 0x40)
  end
  return char(0xf0 + floor(cp / 0x40000), 0x80 + floor(cp / 0x1000) % 0x40,
    0x80 + floor(cp / 0x40) % 0x40, 0x80 + cp % 0x40)
end

-- A \u escape at pos (the backslash): its UTF-8 and the position after it, or nil if invalid.
local function unicode(s, pos)
  local cp = hex4(s, pos + 2)
  if not cp then
    return nil
  end
  if cp >= 0xd800 and cp <= 0xdfff then
    if cp >= 0xdc00 or sub(s, pos + 6, pos + 7) ~= "\\u" then
      return nil
    end
    local low = hex4(s, pos + 8)
    if not low or low < 0xdc00 or low > 0xdfff then
      return nil
    end
    return utf8((cp - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000), pos + 12
  end
  return utf8(cp), pos + 6
end

-- Reads the next token. Returns its kind (CJSON's T_* name, or "error" with the error text as its
-- value), its value, and its 1-based index (CJSON's 0-based index + 1, as its messages show it).
local function token(p)
  local s, pos = p.s, p.pos
  local c = byte(s, pos)
  if WHITESPACE[c] then
    pos = find(s, "[^ \t\n\r]", pos) or #s + 1
    p.pos = pos
    c = byte(s, pos)
  end
  if c == nil or c == 0 then
    return "T_END", nil, pos
  end
  local name = PUNCTUATION[c]
  if name then
    p.pos = pos + 1
    return name, nil, pos
  end
  if c == 34 then -- "
    local stop = find(s, '["\\%z]', pos + 1)
    if stop and byte(s, stop) == 34 then -- no escapes: the common case
      p.pos = stop + 1
      return "T_STRING", sub(s, pos + 1, stop - 1), pos
    end
    local parts, n = {}, 0
    local i = pos + 1
    while true do
      local stop = find(s, '["\\%z]', i)
      if not stop then
        return "error", "unexpected end of string", #s + 1
      end
      n = n + 1
      parts[n] = sub(s, i, stop - 1)
      local d = byte(s, stop)
      if d == 34 then
        p.pos = stop + 1
        return "T_STRING", concat(parts, "", 1, n), pos
      elseif d == 0 then
        return "error", "unexpected end of string", stop
      end
      local e = sub(s, stop + 1, stop + 1)
      if e == "u" then
        local text, after = unicode(s, stop)
        if not text then
          return "error", "invalid unicode escape code", stop
        end
        n = n + 1
        parts[n] = text
        i = after
      else
        local text = UNESCAPE[e]
        if not text then
          return "error", "invalid escape code", stop
        end
        n = n + 1
        parts[n] = text
        i = stop + 2
      end
    end
  end
  local cfg = p.cfg
  local numeric = c == 45 or (c >= 48 and c <= 57) -- - or a digit
  if numeric and cfg.decode_invalid_numbers == 0 and invalidnumber(s, pos) then
    return "error", "invalid number", pos
  end
  if not numeric then
    if c == 116 and sub(s, pos, pos + 3) == "true" then
      p.pos = pos + 4
      return "T_BOOLEAN", true, pos
    elseif c == 102 and sub(s, pos, pos + 4) == "false" then
      p.pos = pos + 5
      return "T_BOOLEAN", false, pos
    elseif c == 110 and sub(s, pos, pos + 3) == "null" then
      p.pos = pos + 4
      return "T_NULL", null, pos
    elseif cfg.decode_invalid_numbers == 0 or not invalidnumber(s, pos) then
      return "error", "invalid token", pos
    end
  end
  -- The common case first: digits and a fraction, as strtod reads them, then an exponent with
  -- digits; hex and the rest go the general way.
  local stop = numeric and match(s, "^-?%d+%.?%d*()", pos)
  if stop then
    local after = byte(s, stop)
    if after == 101 or after == 69 then -- e E
      stop = match(s, "^[eE][-+]?%d+()", stop) or stop
    elseif after == 120 or after == 88 then -- x X
      stop = strtodend(s, pos)
    end
  else
    stop = strtodend(s, pos)
  end
  if not stop then
    return "error", "invalid number", pos
  end
  p.pos = stop
  return "T_NUMBER", tonumber(sub(s, pos, stop - 1)), pos
end

local parsevalue

local function descend(p)
  p.depth = p.depth + 1
  if p.depth > p.cfg.decode_max_depth then
    fail("Found too many nested data structures (" .. p.depth .. ") at character " .. (p.pos - 1))
  end
end

local function found(kind, value)
  if kind == "error" then
    return value
  end
  return kind
end

-- A plain key (no escapes) and its colon, the common case, read in one match.
local PLAIN_KEY = '^[ \t\n\r]*"([^"\\%z]*)"[ \t\n\r]*:()'

local function parseobject(p)
  descend(p)
  local t = {}
  local s = p.s
  local key, after = match(s, PLAIN_KEY, p.pos)
  local kind, value, index
  if not key then
    kind, value, index = token(p)
    if kind == "T_OBJ_END" then
      p.depth = p.depth - 1
      return t
    end
  end
  while true do
    if key then
      p.pos = after
    else
      if kind ~= "T_STRING" then
        parseerror("object key string", found(kind, value), index)
      end
      key = value
      kind, value, index = token(p)
      if kind ~= "T_COLON" then
        parseerror("colon", found(kind, value), index)
      end
    end
    t[key] = parsevalue(p, token(p))
    kind, value, index = token(p)
    if kind == "T_OBJ_END" then
      p.depth = p.depth - 1
      return t
    end
    if kind ~= "T_COMMA" then
      parseerror("comma or object end", found(kind, value), index)
    end
    key, after = match(s, PLAIN_KEY, p.pos)
    if not key then
      kind, value, index = token(p)
    end
  end
end

local function parsearray(p)
  descend(p)
  local t = {}
  local kind, value, index = token(p)
  if kind == "T_ARR_END" then
    p.depth = p.depth - 1
    return t
  end
  local i = 1
  while true do
    t[i] = parsevalue(p, kind, value, index)
    i = i + 1
    kind, value, index = token(p)
    if kind == "T_ARR_END" then
      p.depth = p.depth - 1
      return t
    end
    if kind ~= "T_COMMA" then
      parseerror("comma or array end", found(kind, value), index)
    end
    kind, value, index = token(p)
  end
end

parsevalue = function(p, kind, value, index)
  if kind == "T_STRING" or kind == "T_NUMBER" or kind == "T_BOOLEAN" or kind == "T_NULL" then
    return value
  elseif kind == "T_OBJ_BEGIN" then
    local t = parseobject(p)
    return t
  elseif kind == "T_ARR_BEGIN" then
    local t = parsearray(p)
    return t
  end
  parseerror("value", found(kind, value), index)
end

---------------------------------------------------------------------------------------------------
-- Settings, as CJSON's option functions read and report them.

local function checkargcount(fname, count, ...)
  local nargs = select("#", ...)
  if nargs > count then
    argerror(count + 1, fname, "found too many arguments")
  end
end

local function integeroption(fname, narg, value, current, min, max)
  if value == nil then
    return current
  end
  local n = checkinteger(narg, fname, true, value) % 2 ^ 32 -- stored in a C int
  if n >= 2 ^ 31 then
    n = n - 2 ^ 32
  end
  if n < min or n > max then
    argerror(1, fname, "expected integer between " .. min .. " and " .. max)
  end
  return n
end

local BOOLEAN_OPTIONS = { "off", "on" }

-- Returns the new setting (an index into options, 0-based) and how it is reported.
local function enumoption(fname, narg, value, current, options)
  if value ~= nil then
    if type(value) == "boolean" then
      current = value and 1 or 0
    else
      local name = checkstring(narg, fname, true, value)
      current = nil
      for i, option in ipairs(options) do
        if option == name then
          current = i - 1
        end
      end
      if not current then
        argerror(narg, fname, "invalid option '" .. name .. "'")
      end
    end
  end
  if current <= 1 then
    return current, current == 1
  end
  return current, options[current + 1]
end

local new

-- A cjson table with its own settings. Instances made by cjson.new() are not bridged: a bridge
-- holds a registry reference for the life of the Lua state, and scripts may call cjson.new()
-- any number of times.
local function instance(bridged)
  local cfg = {
    encode_sparse_convert = false,
    encode_sparse_ratio = 2,
    encode_sparse_safe = 10,
    encode_max_depth = 1000,
    decode_max_depth = 1000,
    encode_invalid_numbers = 0,
    decode_invalid_numbers = 1,
    encode_keep_buffer = 1,
    encode_number_precision = 14,
  }
  -- Filled in CJSON's order, which is the order pairs() visits the fields in.
  local cjson = {}
  cjson.encode = S.native.cjson_encoder(cfg) -- C (cjson_encode.c), reading cfg on every call

  function cjson.decode(...)
    if select("#", ...) ~= 1 then
      argerror(1, "decode", "expected 1 argument")
    end
    local s = checkstring(1, "decode", true, (...))
    if #s >= 2 and (byte(s, 1) == 0 or byte(s, 2) == 0) then
      fail("JSON parser does not support UTF-16 or UTF-32")
    end
    local p = { s = s, pos = 1, depth = 0, cfg = cfg }
    local value = parsevalue(p, token(p))
    local kind, v, index = token(p)
    if kind ~= "T_END" then
      parseerror("the end", found(kind, v), index)
    end
    return value
  end

  function cjson.encode_sparse_array(...)
    checkargcount("encode_sparse_array", 3, ...)
    local convert, ratio, safe = ...
    local setting, reported = enumoption("encode_sparse_array", 1, convert,
      cfg.encode_sparse_convert and 1 or 0, BOOLEAN_OPTIONS)
    cfg.encode_sparse_convert = setting == 1
    cfg.encode_sparse_ratio = integeroption("encode_sparse_array", 2, ratio, cfg.encode_sparse_ratio, 0, INT_MAX)
    cfg.encode_sparse_safe = integeroption("encode_sparse_array", 3, safe, cfg.encode_sparse_safe, 0, INT_MAX)
    return reported, cfg.encode_sparse_ratio, cfg.encode_sparse_safe
  end

  local function integersetting(fname, key, min, max)
    cjson[fname] = function(...)
      checkargcount(fname, 1, ...)
      cfg[key] = integeroption(fname, 1, (...), cfg[key], min, max)
      return cfg[key]
    end
  end
  integersetting("encode_max_depth", "encode_max_depth", 1, INT_MAX)
  integersetting("decode_max_depth", "decode_max_depth", 1, INT_MAX)

  function cjson.encode_number_precision(...)
    checkargcount("encode_number_precision", 1, ...)
    cfg.encode_number_precision = integeroption("encode_number_precision", 1, (...),
      cfg.encode_number_precision, 1, 14)
    return cfg.encode_number_precision
  end

  local function enumsetting(fname, key, options)
    cjson[fname] = function(...)
      checkargcount(fname, 1, ...)
      local reported
      cfg[key], reported = enumoption(fname, 1, (...), cfg[key], options)
      return reported
    end
  end
  enumsetting("encode_keep_buffer", "encode_keep_buffer", BOOLEAN_OPTIONS)
  enumsetting("encode_invalid_numbers", "encode_invalid_numbers", { "off", "on", "null" })
  enumsetting("decode_invalid_numbers", "decode_invalid_numbers", BOOLEAN_OPTIONS)
  cjson.new = new
  cjson.null = null
  cjson._NAME = "cjson"
  cjson._VERSION = "2.1.0"

  return S.export(cjson, bridged)
end

new = function()
  return instance(false)
end

return instance(true)
