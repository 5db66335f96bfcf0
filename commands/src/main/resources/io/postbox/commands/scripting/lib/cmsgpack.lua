-- lua-cmsgpack 0.4.0 as Redis ships it: MessagePack without the bin and ext types.
-- Encoding: integral numbers in int64 range take the smallest int format; other numbers are a
-- float (0xca) when a float holds them exactly, else a double; strings use fixstr/str8/16/32;
-- a table whose keys are exactly 1..n is an array, any other a map (in next() order); tables
-- nested 16 deep, and values msgpack cannot hold (functions, userdata...), encode as nil.
local S = ...
local fail, raw, argerror = S.fail, S.raw, S.argerror
local checkstring, checkinteger = S.checkstring, S.checkinteger
local int64bits, int64value = S.int64bits, S.int64value
local cint = S.int32 -- what printf("%d") shows
local floatbits, floatfrombits, doublebits, doublefrombits =
  S.floatbits, S.floatfrombits, S.doublebits, S.doublefrombits
local next, pcall, rawget, select, type, error, unpack =
  next, pcall, rawget, select, type, error, unpack
local byte, char, sub, concat = string.byte, string.char, string.sub, table.concat
local floor = math.floor

local MAX_NESTING = 16
local TWO32, TWO31, TWO63 = 2 ^ 32, 2 ^ 31, 2 ^ 63

local function be16(n)
  return char(floor(n / 256), n % 256)
end

local function be32(n)
  return char(floor(n / 16777216), floor(n / 65536) % 256, floor(n / 256) % 256, n % 256)
end

local function be64(high, low)
  return be32(high) .. be32(low)
end

local function encodeinteger(n)
  if n >= 0 then
    if n <= 127 then
      return char(n)
    elseif n <= 0xff then
      return "\204" .. char(n)
    elseif n <= 0xffff then
      return "\205" .. be16(n)
    elseif n <= 0xffffffff then
      return "\206" .. be32(n)
    end
    return "\207" .. be64(int64bits(n))
  elseif n >= -32 then
    return char(n + 256)
  elseif n >= -128 then
    return "\208" .. char(n + 256)
  elseif n >= -32768 then
    return "\209" .. be16(n + 65536)
  elseif n >= -TWO31 then
    return "\210" .. be32(n + TWO32)
  end
  return "\211" .. be64(int64bits(n))
end

local function encodenumber(n)
  if n == n and n >= -TWO63 and n < TWO63 and floor(n) == n then
    return encodeinteger(n)
  end
  local bits = floatbits(n)
  if floatfrombits(bits) == n then
    return "\202" .. be32(bits)
  end
  return "\203" .. be64(doublebits(n))
end

local function encodestring(s)
  local len = #s
  if len < 32 then
    return char(0xa0 + len) .. s
  elseif len <= 0xff then
    return "\217" .. char(len) .. s
  elseif len <= 0xffff then
    return "\218" .. be16(len) .. s
  end
  return "\219" .. be32(len) .. s
end

local function header(len, fix, sixteen, thirtytwo)
  if len <= 15 then
    return char(fix + len)
  elseif len <= 0xffff then
    return sixteen .. be16(len)
  end
  return thirtytwo .. be32(len)
end

-- Keys exactly 1..n (int-sized positive integers, as many as the largest).
local function isarray(t)
  local count, max = 0, 0
  for k in next, t do
    if type(k) ~= "number" or k <= 0 or k > 2147483647 or floor(k) ~= k then
      return false
    end
    if k > max then
      max = k
    end
    count = count + 1
  end
  return max == count
end

local encode

local function encodetable(t, level, out, n)
  if isarray(t) then
    local len = #t
    n = n + 1
    out[n] = header(len, 0x90, "\220", "\221")
    for i = 1, len do
      n = encode(rawget(t, i), level + 1, out, n)
    end
    return n
  end
  local len = 0
  for _ in next, t do
    len = len + 1
  end
  n = n + 1
  out[n] = header(len, 0x80, "\222", "\223")
  for k, v in next, t do
    n = encode(k, level + 1, out, n)
    n = encode(v, level + 1, out, n)
  end
  return n
end

-- Appends the encoding of v to out (which holds n pieces); returns the new count.
encode = function(v, level, out, n)
  local t = type(v)
  if t == "table" and level < MAX_NESTING then
    return encodetable(v, level, out, n)
  end
  n = n + 1
  if t == "string" then
    out[n] = encodestring(v)
  elseif t == "number" then
    out[n] = encodenumber(v)
  elseif t == "boolean" then
    out[n] = v and "\195" or "\194"
  else
    out[n] = "\192"
  end
  return n
end

-- Decoding. Errors travel as these markers until the entry point words them.
local EOF, BADFMT, NILKEY, NANKEY = {}, {}, {}, {}

local decode

local function need(s, pos, count)
  if pos + count - 1 > #s then
    error(EOF, 0)
  end
end

local function uint(s, pos, size)
  local v = 0
  for i = pos, pos + size - 1 do
    v = v * 256 + byte(s, i)
  end
  return v
end

local function int(s, pos, size)
  local v = uint(s, pos, size)
  local half = 2 ^ (size * 8 - 1)
  if v >= half then
    return v - 2 * half
  end
  return v
end

local function int64(s, pos)
  return int64value(uint(s, pos, 4), uint(s, pos + 4, 4))
end

local function decodestring(s, pos, size)
  need(s, pos, 1 + size)
  local len = uint(s, pos + 1, size)
  local start = pos + 1 + size
  need(s, start, len)
  return sub(s, start, start + len - 1), start + len
end

local function decodearray(s, pos, len)
  local t = {}
  for i = 1, len do
    t[i], pos = decode(s, pos)
  end
  return t, pos
end

local function decodemap(s, pos, len)
  local t = {}
  for _ = 1, len do
    local k, v
    k, pos = decode(s, pos)
    v, pos = decode(s, pos)
    if k == nil then
      error(NILKEY, 0)
    elseif k ~= k then
      error(NANKEY, 0)
    end
    t[k] = v
  end
  return t, pos
end

-- The value at pos, and the position after it.
decode = function(s, pos)
  need(s, pos, 1)
  local c = byte(s, pos)
  if c <= 0x7f then
    return c, pos + 1
  elseif c <= 0x8f then
    return decodemap(s, pos + 1, c - 0x80)
  elseif c <= 0x9f then
    return decodearray(s, pos + 1, c - 0x90)
  elseif c <= 0xbf then
    local len = c - 0xa0
    need(s, pos, 1 + len)
    return sub(s, pos + 1, pos + len), pos + 1 + len
  elseif c >= 0xe0 then
    return c - 256, pos + 1
  elseif c == 0xc0 then
    return nil, pos + 1
  elseif c == 0xc2 then
    return false, pos + 1
  elseif c == 0xc3 then
    return true, pos + 1
  elseif c == 0xca then
    need(s, pos, 5)
    return floatfrombits(uint(s, pos + 1, 4)), pos + 5
  elseif c == 0xcb then
    need(s, pos, 9)
    return doublefrombits(uint(s, pos + 1, 4), uint(s, pos + 5, 4)), pos + 9
  elseif c >= 0xcc and c <= 0xce then
    local size = 2 ^ (c - 0xcc)
    need(s, pos, 1 + size)
    return uint(s, pos + 1, size), pos + 1 + size
  elseif c == 0xcf or c == 0xd3 then -- both read as signed 64-bit
    need(s, pos, 9)
    return int64(s, pos + 1), pos + 9
  elseif c >= 0xd0 and c <= 0xd2 then
    local size = 2 ^ (c - 0xd0)
    need(s, pos, 1 + size)
    return int(s, pos + 1, size), pos + 1 + size
  elseif c >= 0xd9 and c <= 0xdb then
    return decodestring(s, pos, 2 ^ (c - 0xd9))
  elseif c == 0xdc or c == 0xde then
    need(s, pos, 3)
    local len = uint(s, pos + 1, 2)
    if c == 0xdc then
      return decodearray(s, pos + 3, len)
    end
    return decodemap(s, pos + 3, len)
  elseif c == 0xdd or c == 0xdf then
    need(s, pos, 5)
    local len = uint(s, pos + 1, 4)
    if c == 0xdd then
      return decodearray(s, pos + 5, len)
    end
    return decodemap(s, pos + 5, len)
  end
  error(BADFMT, 0)
end

-- Decodes up to limit values (all when limit is nil) from 0-based offset into out after index
-- first; returns their count and the 0-based offset after them.
local function decodemany(s, offset, limit, out, first)
  local pos, count = offset + 1, 0
  while pos <= #s and (limit == nil or count < limit) do
    count = count + 1
    out[first + count], pos = decode(s, pos)
  end
  return count, pos - 1
end

-- The results of an unpack: the values (after the next offset unless all were asked for) and
-- their count. Library functions must not tail-call code that raises errors: the error's
-- position is found from the caller's frame, which a tail call would erase.
local function unpackfull(s, limit, offset)
  local len = #s
  local all = limit == 0 and offset == 0
  if offset < 0 or limit < 0 then
    fail("Invalid request to unpack with offset of " .. cint(offset) .. " and limit of " .. len .. ".")
  elseif offset > len then
    fail("Start offset " .. cint(offset) .. " greater than input length " .. len .. ".")
  end
  local values = {}
  local first = all and 0 or 1
  local ok, count, stop = pcall(decodemany, s, offset, not all and limit or nil, values, first)
  if not ok then
    local marker = count
    if marker == EOF then
      fail("Missing bytes in input.")
    elseif marker == BADFMT then
      fail("Bad data format in input.")
    elseif marker == NILKEY then
      raw("table index is nil")
    elseif marker == NANKEY then
      raw("table index is NaN")
    end
    error(marker, 0) -- not ours (a script kill, out of memory): passed on as it is
  end
  if not all then
    values[1] = stop == len and -1 or stop
  end
  return values, first + count
end

local cmsgpack = {
  _NAME = "cmsgpack",
  _VERSION = "lua-cmsgpack 0.4.0",
  _COPYRIGHT = "Copyright (C) 2012, Salvatore Sanfilippo",
  _DESCRIPTION = "MessagePack C implementation for Lua",
}

function cmsgpack.pack(...)
  local nargs = select("#", ...)
  if nargs == 0 then
    argerror(0, "pack", "MessagePack pack needs input.")
  end
  local args, out, n = { ... }, {}, 0
  for i = 1, nargs do
    n = encode(args[i], 0, out, n)
  end
  return concat(out, "", 1, n)
end

function cmsgpack.unpack(...)
  local s = checkstring(1, "unpack", select("#", ...) >= 1, (...))
  local values, count = unpackfull(s, 0, 0)
  return unpack(values, 1, count)
end

function cmsgpack.unpack_one(...)
  local nargs = select("#", ...)
  local s, offset = ...
  offset = offset == nil and 0 or checkinteger(2, "unpack_one", true, offset)
  s = checkstring(1, "unpack_one", nargs >= 1, s)
  local values, count = unpackfull(s, 1, offset)
  return unpack(values, 1, count)
end

function cmsgpack.unpack_limit(...)
  local nargs = select("#", ...)
  local s, limit, offset = ...
  limit = checkinteger(2, "unpack_limit", nargs >= 2, limit)
  offset = offset == nil and 0 or checkinteger(3, "unpack_limit", true, offset)
  s = checkstring(1, "unpack_limit", nargs >= 1, s)
  local values, count = unpackfull(s, limit, offset)
  return unpack(values, 1, count)
end

return S.export(cmsgpack, true)
