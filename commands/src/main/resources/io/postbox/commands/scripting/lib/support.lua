-- What the parts of the script libraries written in Lua share: errors worded and placed as Lua's
-- auxiliary library does for C functions, and argument checks.
-- Called once per Lua state with the debug library (kept private), the NULL light userdata and the
-- native layer's C functions for the libraries (S.native): bridge(f), which returns a C function
-- calling the Lua function f, and the libraries' own C functions.
local debug, null, native = ...
local bridge = native.bridge
local error, pairs, type, tonumber, tostring = error, pairs, type, tonumber, tostring
local floor, ceil = math.floor, math.ceil

local S = { null = null, native = native }

-- Library functions are written in Lua and called through C functions, as Redis's are C
-- functions; errors are worded and placed as Lua's auxiliary library does for C functions:
-- luaL_error prefixes the position of the Lua code that called the library function, and
-- luaL_argerror names the function as the caller wrote it. S.fail and S.argerror find that caller
-- by walking up the stack past the libraries' own frames (chunks named "=<library>") to the C
-- function, and one frame further.
local getinfo = debug.getinfo
local OURS = { ["=support"] = true, ["=cjson"] = true, ["=random"] = true, ["=sandbox"] = true }
local ENTRY = {} -- the Lua implementations of library functions
local BRIDGED = {} -- the C functions scripts call

-- Registers the functions of a library table as implementations and, when bridged, replaces them
-- in the table with C functions calling them. Unbridged ones report errors as well as a Lua
-- function can (see locate). C functions (the native layer's) are left as they are.
function S.export(library, bridged)
  for name, f in pairs(library) do
    if type(f) == "function" and getinfo(f, "S").what ~= "C" then
      ENTRY[f] = true
      if bridged then
        local c = bridge(f)
        BRIDGED[c] = true
        library[name] = c
      end
    end
  end
  return library
end

-- The debug info of the frame that called the library function (nil if none) and the name info of
-- that call. Without a bridge a tail call into the library erases the caller's frame (a "tail"
-- pseudo-frame is left), and the error then has no position; tail calls inside the libraries leave
-- such frames too and are skipped.
local function locate()
  local level = 3 -- 1 is locate, 2 is S.fail or S.argerror, 3 the library code that called them
  local info = getinfo(level, "Slf")
  local below
  while info do
    if OURS[info.source] then
      below = info
    elseif not (info.what == "tail" and below and not ENTRY[below.func]) then
      break
    end
    level = level + 1
    info = getinfo(level, "Slf")
  end
  if info and BRIDGED[info.func] then
    return getinfo(level + 1, "Sl"), getinfo(level, "n")
  end
  return info, getinfo(level - 1, "n")
end

local function where(info)
  if info and info.currentline > 0 then
    return info.short_src .. ":" .. info.currentline .. ": "
  end
  return ""
end

-- luaL_where(L, 1) from a library function: the position of the code that called it, or "".
function S.caller_position()
  return where((locate()))
end

-- luaL_error from a library function.
function S.fail(message)
  local info = locate()
  error(where(info) .. message, 0)
end

-- luaL_argerror from the library function fname.
function S.argerror(narg, fname, extramsg)
  local info, entry = locate()
  if entry and entry.name then
    fname = entry.name
    if entry.namewhat == "method" then
      narg = narg - 1
      if narg == 0 then
        error(where(info) .. "calling '" .. fname .. "' on bad self (" .. extramsg .. ")", 0)
      end
    end
  elseif info and info.what == "C" then
    fname = "?"
  end
  error(where(info) .. "bad argument #" .. narg .. " to '" .. fname .. "' (" .. extramsg .. ")", 0)
end

local function typename(present, v)
  if not present then
    return "no value"
  end
  return type(v)
end

function S.typeerror(narg, fname, expected, present, v)
  S.argerror(narg, fname, expected .. " expected, got " .. typename(present, v))
end

-- luaL_checknumber: numbers, and strings that convert to one.
function S.checknumber(narg, fname, present, v)
  local n = tonumber(v)
  if n == nil or (type(v) ~= "number" and type(v) ~= "string") then
    S.typeerror(narg, fname, "number", present, v)
  end
  return n
end

-- luaL_checklstring: strings, and numbers converted as Lua prints them.
function S.checkstring(narg, fname, present, v)
  local t = type(v)
  if t == "string" then
    return v
  elseif t == "number" then
    return tostring(v)
  end
  S.typeerror(narg, fname, "string", present, v)
end

-- lua_tointeger on x86-64: truncation toward zero; out-of-range and NaN give INT64_MIN.
local TWO63 = 2 ^ 63
function S.tointeger(n)
  if n ~= n or n >= TWO63 or n < -TWO63 then
    return -TWO63
  end
  if n >= 0 then
    return floor(n)
  end
  return ceil(n)
end

-- luaL_checkinteger
function S.checkinteger(narg, fname, present, v)
  return S.tointeger(S.checknumber(narg, fname, present, v))
end

local TWO32, TWO31 = 2 ^ 32, 2 ^ 31

-- A whole number as a C int holds it: the low 32 bits, signed (a cast, int arithmetic, printf("%d")).
function S.int32(n)
  n = n % TWO32
  if n >= TWO31 then
    return n - TWO32
  end
  return n
end

return S
