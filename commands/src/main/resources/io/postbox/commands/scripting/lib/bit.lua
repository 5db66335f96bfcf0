-- LuaBitOp ("bit"), as Redis gives it to scripts: 32-bit operations on Lua numbers.
-- Arguments are normalised the LuaBitOp way: add 2^52+2^51 to the double and keep the low 32 bits
-- of its representation, so fractions round to nearest-even and large values wrap modulo 2^32.
-- Results are signed 32-bit numbers. Internally values are unsigned (0 .. 2^32-1).
local S = ...
local typeerror = S.typeerror
local lowbits = S.lowbits
local select, tonumber, type = select, tonumber, type
local floor, format, sub = math.floor, string.format, string.sub

local TWO32, TWO31, MAGIC = 2 ^ 32, 2 ^ 31, 6755399441055744
local TWO51 = 2 ^ 51

local function tobits(n)
  if n > -TWO51 and n < TWO51 then
    return ((n + MAGIC) - MAGIC) % TWO32
  end
  return lowbits(n + MAGIC)
end

local function barg(narg, fname, present, v)
  local t = type(v)
  local n
  if t == "number" then
    n = v
  elseif t == "string" then
    n = tonumber(v)
  end
  if n == nil then
    typeerror(narg, fname, "number", present, v)
  end
  return tobits(n)
end

local function signed(b)
  if b >= TWO31 then
    return b - TWO32
  end
  return b
end

-- Nibble tables: OP[a * 16 + b] for 4-bit a and b.
local AND, OR, XOR = {}, {}, {}
for a = 0, 15 do
  for b = 0, 15 do
    local x, y, r_and, r_or, r_xor, m = a, b, 0, 0, 0, 1
    for _ = 1, 4 do
      local p, q = x % 2, y % 2
      if p == 1 and q == 1 then r_and = r_and + m end
      if p == 1 or q == 1 then r_or = r_or + m end
      if p ~= q then r_xor = r_xor + m end
      x, y, m = (x - p) / 2, (y - q) / 2, m * 2
    end
    AND[a * 16 + b], OR[a * 16 + b], XOR[a * 16 + b] = r_and, r_or, r_xor
  end
end

-- a OP b for unsigned 32-bit a and b, a nibble at a time; once either runs out of bits the rest
-- is the other's (or nothing, for AND).
local function combine(table, a, b)
  local r, m = 0, 1
  while a > 0 and b > 0 do
    local x, y = a % 16, b % 16
    r = r + table[x * 16 + y] * m
    a, b, m = (a - x) / 16, (b - y) / 16, m * 16
  end
  if table == AND then
    return r
  end
  return r + (a + b) * m
end

local function fold(fname, table)
  return function(...)
    local n = select("#", ...)
    local first, second = ...
    local b = barg(1, fname, n >= 1, first)
    -- LuaBitOp reads the arguments from the last one down to the second.
    for i = n, 3, -1 do
      b = combine(table, b, barg(i, fname, true, (select(i, ...))))
    end
    if n >= 2 then
      b = combine(table, b, barg(2, fname, true, second))
    end
    return signed(b)
  end
end

local function shifter(fname, shift)
  return function(...)
    local n = select("#", ...)
    local x, y = ...
    local b = barg(1, fname, n >= 1, x)
    local s = barg(2, fname, n >= 2, y) % 32
    return signed(shift(b, s))
  end
end

local function lshift(b, s)
  return (b * 2 ^ s) % TWO32
end

local function rshift(b, s)
  return floor(b / 2 ^ s)
end

local bit = {}

bit.tobit = function(...)
  return signed(barg(1, "tobit", select("#", ...) >= 1, (...)))
end

bit.bnot = function(...)
  return signed(TWO32 - 1 - barg(1, "bnot", select("#", ...) >= 1, (...)))
end

bit.band = fold("band", AND)
bit.bor = fold("bor", OR)
bit.bxor = fold("bxor", XOR)

bit.lshift = shifter("lshift", lshift)
bit.rshift = shifter("rshift", rshift)
bit.arshift = shifter("arshift", function(b, s)
  return floor(signed(b) / 2 ^ s) % TWO32
end)
bit.rol = shifter("rol", function(b, s)
  if s == 0 then
    return b
  end
  return lshift(b, s) + rshift(b, 32 - s)
end)
bit.ror = shifter("ror", function(b, s)
  if s == 0 then
    return b
  end
  return rshift(b, s) + lshift(b, 32 - s)
end)

bit.bswap = function(...)
  local b = barg(1, "bswap", select("#", ...) >= 1, (...))
  local b0 = b % 256
  local b1 = floor(b / 256) % 256
  local b2 = floor(b / 65536) % 256
  local b3 = floor(b / 16777216)
  return signed(((b0 * 256 + b1) * 256 + b2) * 256 + b3)
end

bit.tohex = function(...)
  local count = select("#", ...)
  local x, y = ...
  local b = barg(1, "tohex", count >= 1, x)
  local n = 8
  if count >= 2 then
    n = signed(barg(2, "tohex", true, y))
  end
  local digits = "%08x"
  if n < 0 then
    n = -n
    digits = "%08X"
  end
  if n > 8 then
    n = 8
  end
  return sub(format(digits, b), 9 - n)
end

return S.export(bit, true)
