-- math.random and math.randomseed as Redis gives them to scripts: Lua 5.1's own functions with the C
-- library's rand() replaced by Redis's drand48 generator (rand.c), so that a seeded script draws the
-- numbers it draws on Redis. As on Redis 7.0, EVAL does not reseed it: the sequence runs on from
-- script to script, from drand48's initial state. (Redis keeps one generator for the whole server;
-- here each Lua state has its own, so the EVAL and FUNCTION states draw apart, and SCRIPT FLUSH,
-- which makes a new state, starts over.)
local S, math = ...
local checkinteger, fail, argerror, int32 = S.checkinteger, S.fail, S.argerror, S.int32
local floor, select = math.floor, select

local TWO24, TWO32 = 2 ^ 24, 2 ^ 32
local A_HIGH, A_LOW, C = 0x5DE, 0xECE66D, 0xB -- x' = (0x5DEECE66D x + 0xB) mod 2^48
local MAX = 2147483647 -- REDIS_LRAND48_MAX
local SEED_LOW = 0x330E -- srand48 puts the seed above these 16 bits

-- The 48-bit state in 24-bit halves, so that every product is exact in a double.
local high, low = 0x1234AB, 0xCD330E

-- lrand48: advances the state and returns its top 31 bits.
local function draw()
  local product = low * A_LOW + C
  local carry = floor(product / TWO24)
  high = (high * A_LOW + low * A_HIGH + carry) % TWO24
  low = product % TWO24
  return high * 128 + floor(low / 131072)
end

-- luaL_checkint
local function checkint(narg, fname, present, v)
  return int32(checkinteger(narg, fname, present, v))
end

local R = {}

function R.random(...)
  -- Drawn before the arguments are checked, as Redis does: a call that fails still advances.
  local r = (draw() % MAX) / MAX
  local count = select("#", ...)
  if count == 0 then
    return r
  elseif count == 1 then
    local u = checkint(1, "random", true, (...))
    if u < 1 then
      argerror(1, "random", "interval is empty")
    end
    return floor(r * u) + 1
  elseif count == 2 then
    local l, u = ...
    l, u = checkint(1, "random", true, l), checkint(2, "random", true, u)
    if l > u then
      argerror(2, "random", "interval is empty")
    end
    return floor(r * int32(u - l + 1)) + l
  end
  fail("wrong number of arguments")
end

function R.randomseed(...)
  local seed = checkint(1, "randomseed", select("#", ...) >= 1, (...)) % TWO32
  high = floor(seed / 256)
  low = (seed % 256) * 65536 + SEED_LOW
end

S.export(R, true)
math.random, math.randomseed = R.random, R.randomseed
