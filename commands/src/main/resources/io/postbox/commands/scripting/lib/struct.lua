-- Roberto Ierusalimschy's struct library as Redis ships it: struct.pack, struct.unpack and
-- struct.size over a format string.
--   >  <  big / little endian (little is the default: x86-64's native order)
--   !n     align to n (a power of 2; 8 without n), ' ' ignored
--   b B h H l L T i[n] I[n]  signed (lower case) / unsigned integers of 1, 2, 8, 8, n (default 4)
--   f d    float, double;  x  one padding byte
--   c[n]   n bytes (c0: the whole string when packing, the previous result's length when unpacking)
--   s      a zero-terminated string
-- Integers go through C's (int64_t)/(uint64_t) conversions, reproduced by S.int64bits.
local S = ...
local fail, argerror = S.fail, S.argerror
local checkstring, checknumber, tointeger = S.checkstring, S.checknumber, S.tointeger
local int64bits, int64value = S.int64bits, S.int64value
local floatbits, floatfrombits, doublebits, doublefrombits =
  S.floatbits, S.floatfrombits, S.doublebits, S.doublefrombits
local select, tonumber, type, unpack = select, tonumber, type, unpack
local byte, char, find, sub, rep, concat = string.byte, string.char, string.find, string.sub, string.rep, table.concat
local floor = math.floor

local MAXINTSIZE, MAXALIGN, INT_MAX = 32, 8, 2147483647
local TWO32 = 2 ^ 32
local PLACE = { 1, 256, 65536, 16777216 } -- a byte's weight in a 32-bit word

local FIXED = { b = 1, B = 1, h = 2, H = 2, l = 8, L = 8, T = 8, f = 4, d = 8, x = 1 }
local INTEGER = { b = true, B = true, h = true, H = true, l = true, L = true, T = true, i = true, I = true }

-- The format as C sees it: up to the first zero byte.
local function cstring(fmt)
  local zero = find(fmt, "\0", 1, true)
  if zero then
    return sub(fmt, 1, zero - 1)
  end
  return fmt
end

local function isdigit(c)
  return c ~= nil and c >= 48 and c <= 57
end

-- A number written after an option, or the default; returns it and the next position.
local function getnum(fmt, pos, default)
  local c = byte(fmt, pos)
  if not isdigit(c) then
    return default, pos
  end
  local a = 0
  repeat
    local d = c - 48
    if a > floor(INT_MAX / 10) or a * 10 > INT_MAX - d then
      fail("integral size overflow")
    end
    a = a * 10 + d
    pos = pos + 1
    c = byte(fmt, pos)
  until not isdigit(c)
  return a, pos
end

local function optsize(opt, fmt, pos)
  local fixed = FIXED[opt]
  if fixed then
    return fixed, pos
  elseif opt == "c" then
    return getnum(fmt, pos, 1)
  elseif opt == "i" or opt == "I" then
    local size
    size, pos = getnum(fmt, pos, 4)
    if size > MAXINTSIZE then
      fail("integral size " .. size .. " is larger than limit of " .. MAXINTSIZE)
    end
    return size, pos
  end
  return 0, pos
end

-- Padding before an item of this size at offset len; sizes need not be powers of 2, so the
-- bit arithmetic is done bit by bit on the (small) mask.
local function band(x, y)
  local r, m = 0, 1
  while x > 0 and y > 0 do
    local a, b = x % 2, y % 2
    if a == 1 and b == 1 then
      r = r + m
    end
    x, y, m = (x - a) / 2, (y - b) / 2, m * 2
  end
  return r
end

local function gettoalign(len, align, opt, size)
  if size <= 1 or align == 1 or opt == "c" then -- nothing to align to
    return 0
  end
  if size > align then
    size = align
  end
  return band(size - band(len % 64, size - 1), size - 1)
end

local function ispowerof2(a)
  if a <= 0 then
    return false
  end
  while a % 2 == 0 do
    a = a / 2
  end
  return a == 1
end

-- Options that change the header; returns the new endianness, alignment and position.
local function controloptions(fname, opt, fmt, pos, little, align)
  if opt == " " then
    return little, align, pos
  elseif opt == ">" then
    return false, align, pos
  elseif opt == "<" then
    return true, align, pos
  elseif opt == "!" then
    local a
    a, pos = getnum(fmt, pos, MAXALIGN)
    if not ispowerof2(a) then
      fail("alignment " .. a .. " is not a power of 2")
    end
    return little, a, pos
  end
  argerror(1, fname, "invalid format option '" .. opt .. "'")
end

-- The bytes of a 64-bit value (as unsigned 32-bit halves) over size bytes; bytes beyond the
-- eighth are zero, as C's shifting produces.
local function integerbytes(high, low, size, little)
  local bytes = {}
  for i = 1, size do
    local b = 0
    if i <= 4 then
      b = low % 256
      low = (low - b) / 256
    elseif i <= 8 then
      b = high % 256
      high = (high - b) / 256
    end
    bytes[little and i or size - i + 1] = b
  end
  return char(unpack(bytes, 1, size))
end

local function wordbytes(word, little)
  return integerbytes(0, word, 4, little)
end

local struct = {}

function struct.pack(...)
  local nargs = select("#", ...)
  local args = { ... }
  local fmt = cstring(checkstring(1, "pack", nargs >= 1, args[1]))
  local out, n = {}, 0
  local little, align = true, 1
  local arg, total, pos = 2, 0, 1
  while pos <= #fmt do
    local opt = sub(fmt, pos, pos)
    local size
    size, pos = optsize(opt, fmt, pos + 1)
    local toalign = gettoalign(total, align, opt, size)
    total = total + toalign
    if toalign > 0 then
      n = n + 1
      out[n] = rep("\0", toalign)
    end
    -- A missing argument reads as nil: the C code keeps a nil right after the arguments.
    if INTEGER[opt] then
      local high, low = int64bits(checknumber(arg, "pack", true, args[arg]))
      arg = arg + 1
      n = n + 1
      out[n] = integerbytes(high, low, size, little)
    elseif opt == "x" then
      n = n + 1
      out[n] = "\0"
    elseif opt == "f" then
      local bits = floatbits(checknumber(arg, "pack", true, args[arg]))
      arg = arg + 1
      n = n + 1
      out[n] = wordbytes(bits, little)
    elseif opt == "d" then
      local high, low = doublebits(checknumber(arg, "pack", true, args[arg]))
      arg = arg + 1
      n = n + 1
      out[n] = integerbytes(high, low, 8, little)
    elseif opt == "c" or opt == "s" then
      local s = checkstring(arg, "pack", true, args[arg])
      arg = arg + 1
      if size == 0 then
        size = #s
      end
      if #s < size then
        argerror(arg, "pack", "string too short")
      end
      n = n + 1
      out[n] = sub(s, 1, size)
      if opt == "s" then
        n = n + 1
        out[n] = "\0"
        size = size + 1
      end
    else
      little, align, pos = controloptions("pack", opt, fmt, pos, little, align)
    end
    total = total + size
  end
  return concat(out, "", 1, n)
end

-- The number C's getinteger makes of size bytes at offset pos (0-based): the least significant
-- eight bytes as a 64-bit value l; when signed, the mask of bits (size*8-1) mod 64 and up is set
-- in l if l has any of them set (for sizes up to 8 that is sign extension).
local function getinteger(data, pos, little, signed, size)
  local high, low = 0, 0
  for i = 1, size do
    local significance = little and i or size - i + 1 -- 1 is the least significant byte
    if significance <= 4 then
      low = low + byte(data, pos + i) * PLACE[significance]
    elseif significance <= 8 then
      high = high + byte(data, pos + i) * PLACE[significance - 4]
    end
  end
  if not signed then
    return high * TWO32 + low
  end
  local k = (size * 8 - 1) % 64
  if k >= 32 then
    local unit = 2 ^ (k - 32)
    if high >= unit then
      high = high % unit + (TWO32 - unit)
    end
  else
    local unit = 2 ^ k
    if high > 0 or low >= unit then
      high = TWO32 - 1
      low = low % unit + (TWO32 - unit)
    end
  end
  return int64value(high, low)
end

function struct.unpack(...)
  local nargs = select("#", ...)
  local fmtarg, data, offset = ...
  local fmt = cstring(checkstring(1, "unpack", nargs >= 1, fmtarg))
  data = checkstring(2, "unpack", nargs >= 2, data)
  local ld = #data
  local pos = 1
  if offset ~= nil then
    pos = tointeger(checknumber(3, "unpack", true, offset))
  end
  if pos == 0 then
    argerror(3, "unpack", "offset must be 1 or greater")
  end
  -- A negative offset is a huge size_t in C: every item is out of range.
  local outofrange = pos < 0
  local results, n = {}, 0
  local little, align = true, 1
  pos = pos - 1
  local fpos = 1
  while fpos <= #fmt do
    local opt = sub(fmt, fpos, fpos)
    local size
    size, fpos = optsize(opt, fmt, fpos + 1)
    pos = pos + gettoalign(pos, align, opt, size)
    if outofrange or size > ld or pos > ld - size then
      argerror(2, "unpack", "data string too short")
    end
    if INTEGER[opt] then
      n = n + 1
      results[n] = getinteger(data, pos, little, opt >= "a", size)
    elseif opt == "x" then
      -- padding
    elseif opt == "f" then
      n = n + 1
      results[n] = floatfrombits(getinteger(data, pos, little, false, 4))
    elseif opt == "d" then
      local high = getinteger(data, pos + (little and 4 or 0), little, false, 4)
      local low = getinteger(data, pos + (little and 0 or 4), little, false, 4)
      n = n + 1
      results[n] = doublefrombits(high, low)
    elseif opt == "c" then
      if size == 0 then
        local previous = n > 0 and tonumber(results[n])
        if not previous or (type(results[n]) ~= "number" and type(results[n]) ~= "string") then
          fail("format 'c0' needs a previous size")
        end
        results[n] = nil
        n = n - 1
        if previous ~= previous or previous < 0 or previous >= 2 ^ 64 then
          argerror(2, "unpack", "data string too short")
        end
        size = floor(previous)
        if size > ld or pos > ld - size then
          argerror(2, "unpack", "data string too short")
        end
      end
      n = n + 1
      results[n] = sub(data, pos + 1, pos + size)
    elseif opt == "s" then
      local zero = find(data, "\0", pos + 1, true)
      if not zero then
        fail("unfinished string in data")
      end
      n = n + 1
      results[n] = sub(data, pos + 1, zero - 1)
      size = zero - pos
    else
      little, align, fpos = controloptions("unpack", opt, fmt, fpos, little, align)
    end
    pos = pos + size
  end
  n = n + 1
  results[n] = pos + 1
  return unpack(results, 1, n)
end

function struct.size(...)
  local fmt = cstring(checkstring(1, "size", select("#", ...) >= 1, (...)))
  local little, align = true, 1
  local pos, fpos = 0, 1
  while fpos <= #fmt do
    local opt = sub(fmt, fpos, fpos)
    local size
    size, fpos = optsize(opt, fmt, fpos + 1)
    pos = pos + gettoalign(pos, align, opt, size)
    if opt == "s" then
      argerror(1, "size", "option 's' has no fixed size")
    elseif opt == "c" and size == 0 then
      argerror(1, "size", "option 'c0' has no fixed size")
    end
    if not find(opt, "^%w") then
      little, align, fpos = controloptions("size", opt, fmt, fpos, little, align)
    end
    pos = pos + size
  end
  return pos
end

return S.export(struct, true)
