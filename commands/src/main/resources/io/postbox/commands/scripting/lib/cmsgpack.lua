-- lua-cmsgpack 0.4.0 as Redis ships it: MessagePack without the bin and ext types. Its decoding
-- functions are C, from the native layer (cmsgpack_unpack.c).
-- Encoding: integral numbers in int64 range take the smallest int format; other numbers are a
-- float (0xca) when a float holds them exactly, else a double; strings use fixstr/str8/16/32;
-- a table whose keys are exactly 1..n is an array, any other a map (in next() order); tables
-- nested 16 deep, and values msgpack cannot hold (functions, userdata...), encode as nil.
local S = ...
local argerror, int64bits = S.argerror, S.int64bits
local floatbits, floatfrombits, doublebits = S.floatbits, S.floatfrombits, S.doublebits
local next, rawget, select, type = next, rawget, select, type
local char, concat = string.char, table.concat
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

-- Filled in lua-cmsgpack's order, which is the order pairs() visits the fields in.
local cmsgpack = {}

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

-- Decoding is C (cmsgpack_unpack.c): frameworks call it in nearly every script.
cmsgpack.unpack = S.native.cmsgpack_unpack
cmsgpack.unpack_one = S.native.cmsgpack_unpack_one
cmsgpack.unpack_limit = S.native.cmsgpack_unpack_limit
cmsgpack._NAME = "cmsgpack"
cmsgpack._VERSION = "lua-cmsgpack 0.4.0"
cmsgpack._COPYRIGHT = "Copyright (C) 2012, Salvatore Sanfilippo"
cmsgpack._DESCRIPTION = "MessagePack C implementation for Lua"

return S.export(cmsgpack, true)
