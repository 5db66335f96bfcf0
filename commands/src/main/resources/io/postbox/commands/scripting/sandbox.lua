-- Turns a fresh Lua 5.1 state (base, table, string, math and debug libraries open, the `redis` table
-- and the extra libraries installed) into the environment Redis 7.0 gives scripts. Runs once, as the
-- chunk "=sandbox", given the kill hook (see below) and the libraries' support table (support.lua);
-- returns what the Java side keeps out of the scripts' reach (the debug library among it, for the
-- debugger: debugger.lua).
--
-- Globals: only the names Redis keeps stay. The globals table and every library table become
-- read-only: scripts see proxies whose writes fail ("Attempt to modify a readonly table"), and
-- reading a missing global fails ("Script attempted to access nonexistent global variable").
local hook, S = ...
local setfenv, xpcall = setfenv, xpcall
local G = _G
local error, rawget, rawset, setmetatable, getmetatable, tostring, type, pairs, pcall =
      error, rawget, rawset, setmetatable, getmetatable, tostring, type, pairs, pcall
local debug_library = debug
local getinfo, sethook, rawmetatable = debug.getinfo, debug.sethook, debug.getmetatable

local kept = {
  _G = true, _VERSION = true, assert = true, collectgarbage = true, coroutine = true, error = true,
  gcinfo = true, getmetatable = true, ipairs = true, load = true, loadstring = true, math = true,
  next = true, pairs = true, pcall = true, rawequal = true, rawget = true, rawset = true, redis = true,
  select = true, setmetatable = true, string = true, table = true, tonumber = true, tostring = true,
  type = true, unpack = true, xpcall = true,
  bit = true, cjson = true, cmsgpack = true, struct = true,
}
local dropped = {}
for name in pairs(G) do
  if not kept[name] then dropped[#dropped + 1] = name end
end
for _, name in pairs(dropped) do G[name] = nil end

-- Weak keys: a replaced function library's environment and proxies must be free to go.
local readonly = setmetatable({}, { __mode = 'k' })
-- Each read-only proxy's table. Redis's read-only tables are the tables themselves, so raw access,
-- iteration and getmetatable see their contents; the wrappers below let them see through proxies.
local shown = setmetatable({}, { __mode = 'k' })
local function refuse(_, name)
  -- luajava clears this global after every Java call; it is the one write allowed.
  if name == '__jthrowable__' then return end
  error('Attempt to modify a readonly table', 2)
end
local function freeze(t)
  local proxy = setmetatable({}, { __index = t, __newindex = refuse, __metatable = false })
  readonly[proxy] = true
  shown[proxy] = t
  return proxy
end

-- Argument errors of the wrappers below are the C functions' own: support.lua words and places them as
-- luaL_argerror does, named as the caller wrote the call ('?' when called from C, by pcall for one), at
-- the caller's line. A script that tail-calls a wrapper (return next(x)) leaves no frame of its own to
-- find: the error then names '?' and has no position, where Redis's C function would still have both.
local argerror, typeerror, select = S.argerror, S.typeerror, select

-- rawget, next, pairs and getmetatable look through a proxy to its table. Their argument errors are
-- raised as the C functions raise them; they make no tail calls, so that an error inside them is
-- placed at the caller's line too.
local next = next
local function next_shown(...)
  if type((...)) ~= 'table' then typeerror(1, 'next', 'table', select('#', ...) > 0, (...)) end
  local t, k = ...
  local key, value = next(shown[t] or t, k)
  if key == nil then return nil end
  return key, value
end
rawset(G, 'next', next_shown)
rawset(G, 'pairs', function(...)
  if type((...)) ~= 'table' then typeerror(1, 'pairs', 'table', select('#', ...) > 0, (...)) end
  local t = ...
  if shown[t] then return next_shown, t, nil end
  return next, t, nil
end)
rawset(G, 'rawget', function(...)
  if type((...)) ~= 'table' then typeerror(1, 'rawget', 'table', select('#', ...) > 0, (...)) end
  if select('#', ...) < 2 then argerror(2, 'rawget', 'value expected') end
  local t, k = ...
  local value = rawget(shown[t] or t, k)
  return value
end)
-- The globals' metatable and the strings', read-only, are what getmetatable gives for _G and for a
-- string (set below); a library table has none.
local globals_meta, string_meta
rawset(G, 'getmetatable', function(...)
  if select('#', ...) == 0 then argerror(1, 'getmetatable', 'value expected') end
  local t = ...
  if type(t) == 'string' then return string_meta end
  local original = shown[t]
  if original == nil then
    local meta = getmetatable(t)
    return meta
  end
  if original == G then return globals_meta end
  return nil
end)

-- rawset is the one way around __newindex; it refuses read-only tables too (with no position, as
-- the refusal comes from a C function in Redis). It and setmetatable check their arguments first,
-- as the C functions do.
rawset(G, 'rawset', function(...)
  if type((...)) ~= 'table' then typeerror(1, 'rawset', 'table', select('#', ...) > 0, (...)) end
  local count = select('#', ...)
  if count < 2 then argerror(2, 'rawset', 'value expected') end
  if count < 3 then argerror(3, 'rawset', 'value expected') end
  local t, k, v = ...
  if readonly[t] then error('Attempt to modify a readonly table', 0) end
  local result = rawset(t, k, v)
  return result
end)

rawset(G, 'setmetatable', function(...)
  if type((...)) ~= 'table' then typeerror(1, 'setmetatable', 'table', select('#', ...) > 0, (...)) end
  local t, mt = ...
  if select('#', ...) < 2 or (mt ~= nil and type(mt) ~= 'table') then argerror(2, 'setmetatable', 'nil or table expected') end
  -- Before the protected-metatable check: a read-only proxy's metatable is protected too.
  if readonly[t] then error('Attempt to modify a readonly table', 0) end
  local current = rawmetatable(t)
  if current ~= nil and rawget(current, '__metatable') ~= nil then
    error('cannot change a protected metatable', 2)
  end
  local result = setmetatable(t, mt)
  return result
end)

-- Redis's Lua parses every chunk as text: it has no loader for precompiled bytecode, which Lua 5.1
-- runs unverified (a way out of any sandbox). Here a chunk that starts as bytecode does (ESC) gets a
-- space in front, so that it is parsed as text and fails as Redis's does ("unexpected symbol near
-- 'char(27)'"), under the name it would have had. Both are called through C functions, as Redis's
-- are C functions, so that their errors name and place the caller even after a tail call.
local loadstring_c, load_c, checkstring, caller_position = loadstring, load, S.checkstring, S.caller_position
local ESC = 27
-- Redis's message handler (defined below) also sees errors raised while load reads its chunk, which
-- load then returns: as the table it makes of them.
local handler
local loaders = S.export({
  loadstring = function(...)
    local s, chunkname = ...
    s = checkstring(1, 'loadstring', select('#', ...) > 0, s)
    chunkname = chunkname == nil and s or checkstring(2, 'loadstring', true, chunkname)
    if s:byte(1) == ESC then s = ' ' .. s end
    local f, err = loadstring_c(s, chunkname)
    if f then return f end
    return nil, err
  end,
  load = function(...)
    local reader, chunkname = ...
    if type(reader) ~= 'function' then typeerror(1, 'load', 'function', select('#', ...) > 0, reader) end
    chunkname = chunkname == nil and '=(load)' or checkstring(2, 'load', true, chunkname)
    local first, unreadable = true, false
    local f, err = load_c(function()
      local ok, piece = xpcall(reader, handler)
      if not ok then error(piece, 0) end
      if piece ~= nil and type(piece) ~= 'string' and type(piece) ~= 'number' then
        unreadable = true
        return nil
      end
      if first then
        first = false
        if type(piece) == 'string' and piece:byte(1) == ESC then return ' ' .. piece end
      end
      return piece
    end, chunkname)
    if unreadable then return nil, handler(caller_position() .. 'reader function must return a string') end
    if f then return f end
    return nil, err
  end,
}, true)
rawset(G, 'loadstring', loaders.loadstring)
rawset(G, 'load', loaders.load)

-- Redis's pcall: an error raised as a table whose err field is a string or a number (redis.call's
-- errors; Redis tests it with lua_isstring) is caught as that field. Any other table comes back with
-- its err field after it, even a nil one, as Redis's pcall leaves it on the stack: three results.
local function caught(ok, ...)
  if ok then return ok, ... end
  local err = ...
  if type(err) == 'table' then
    local field = rawget(err, 'err')
    if type(field) == 'string' or type(field) == 'number' then return false, field end
    return false, err, field
  end
  return false, ...
end
rawset(G, 'pcall', function(...)
  return caught(pcall(...))
end)

for name, value in pairs(G) do
  if type(value) == 'table' and name ~= '_G' then rawset(G, name, freeze(value)) end
end
local meta = { __index = function(_, name)
  if name == '__jthrowable__' then return nil end
  error("Script attempted to access nonexistent global variable '" .. tostring(name) .. "'", 2)
end }
setmetatable(G, meta)
globals_meta = freeze(meta)
local globals = freeze(G)
getmetatable('').__index = G.string
-- Shared by every string, and so by every script: read-only like the libraries.
string_meta = freeze(getmetatable(''))
rawset(G, '_G', globals)

-- The message handler of every script call: turns the error into a table with the Redis error text
-- ({err=...}, a bare message gets the ERR code) and where the script was when it failed: the
-- innermost frame that is neither a C function nor this sandbox's own code (nor the support code
-- its wrappers raise their argument errors with, nor the debugger's hook).
local own = { ['=sandbox'] = true, ['=support'] = true, ['=debugger'] = true }
function handler(err)
  local level = 2
  local frame = getinfo(level, 'Sl')
  while frame and (frame.what == 'C' or own[frame.source]) do
    level = level + 1
    frame = getinfo(level, 'Sl')
  end
  if type(err) ~= 'table' then
    err = { err = 'ERR ' .. tostring(err) }
  end
  if frame then
    err.source = frame.source
    err.line = frame.currentline
  end
  return err
end
-- Under the name Redis gives its handler, which scripts see among the globals.
rawset(G, '__redis__err__handler', handler)

-- The instruction hook: every 100000 instructions it asks Java whether the script was killed. Once
-- killed, the hook runs on every line and fails each one, so a script's own pcall cannot swallow the
-- kill; the first line run after the killed script ended finds nothing to report and goes back to
-- counting. (Java never runs Lua code itself while the line hook may fail it.)
local on_count
local function on_line()
  local reason = hook()
  if reason then error(reason, 0) end
  sethook(on_count, '', 100000)
end
on_count = function()
  local reason = hook()
  if reason then
    sethook(on_line, 'l')
    error(reason, 0)
  end
end
sethook(on_count, '', 100000)

-- A debugging session (SCRIPT DEBUG SYNC) swaps in the debugger's hook, which stops at lines and still
-- counts instructions (ScriptDebugger asks about kills and runaway loops); its end (nil) swaps back.
local function debugging(debugger_hook)
  if debugger_hook then sethook(debugger_hook, 'l', 100000) else sethook(on_count, '', 100000) end
end

-- Function libraries (FUNCTION LOAD): the library's code runs in an environment that holds only
-- `api` as `redis` (register_function, log...); afterwards the same environment, which the library's
-- functions keep, reads the globals as any script does.
local function strict(t)
  local proxy = setmetatable({}, { __newindex = refuse, __metatable = false, __index = function(_, name)
    local value = t[name]
    if value == nil then
      error("Script attempted to access nonexistent global variable '" .. tostring(name) .. "'", 2)
    end
    return value
  end })
  readonly[proxy] = true
  return proxy
end
local function run_library(chunk, api)
  local meta = { __newindex = refuse, __metatable = false }
  local loading = strict({ redis = strict(api) })
  meta.__index = loading
  local env = setmetatable({}, meta)
  readonly[env] = true
  setfenv(chunk, env)
  local ok, err = xpcall(chunk, handler)
  meta.__index = globals
  if not ok then error(err, 0) end
end

setfenv(0, globals)
-- The globals table itself (not the scripts' read-only view): the Java side sets KEYS and ARGV in it.
return { handler = handler, run_library = run_library, globals = G, debugging = debugging,
         debug_library = debug_library }
