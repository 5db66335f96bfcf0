-- The Lua half of the script debugger (SCRIPT DEBUG SYNC; ScriptDebugger.java is the other): what it
-- needs of the debug library, which scripts never see. Runs as the chunk "=debugger" in a state's first
-- debugging session (most states never have one), in the scripts' globals, given the Java function a
-- stop asks and the debug library the sandbox kept; returns the line hook and the helpers Java calls
-- while the script is stopped. Values are shown as Redis's debugger shows them (ldbCatStackValue):
-- strings quoted with C escapes, numbers as %g, tables as {a; b} or {[k]=v; ...}, functions as their
-- address.
local stop, debug = ...
local getinfo, getlocal = debug.getinfo, debug.getlocal
-- The sandbox's own: next, rawget and loadstring see through read-only tables, and take no bytecode.
local next, type, tostring, format, concat, rawget = next, type, tostring, string.format, table.concat, rawget
local loadstring, pcall, redis_call, G = loadstring, pcall, redis.call, _G

-- Redis stops at LUA_MINSTACK / 2 levels of nested tables.
local MAX_DEPTH = 10
local ESCAPES = { ['\\'] = '\\\\', ['"'] = '\\"', ['\n'] = '\\n', ['\r'] = '\\r', ['\t'] = '\\t',
                  ['\a'] = '\\a', ['\b'] = '\\b' }
local function escape(c)
  return ESCAPES[c] or format('\\x%02x', c:byte())
end

local function show(value, depth)
  if depth == MAX_DEPTH then return '<max recursion level reached! Nested table?>' end
  depth = depth + 1
  local kind = type(value)
  if kind == 'string' then
    return '"' .. (value:gsub('[%z\1-\31\127-\255\\"]', escape)) .. '"'
  elseif kind == 'number' then
    return format('%g', value)
  elseif kind == 'boolean' or kind == 'nil' then
    return tostring(value)
  elseif kind == 'table' then
    local items, pairs_, is_array, expected = {}, {}, true, 1
    local key, item = next(value)
    while key ~= nil do
      if is_array and key ~= expected then is_array = false end
      local shown = show(item, depth)
      items[#items + 1] = shown
      pairs_[#pairs_ + 1] = '[' .. show(key, depth) .. ']=' .. shown
      expected = expected + 1
      key, item = next(value, key)
    end
    return '{' .. concat(is_array and items or pairs_, '; ') .. '}'
  end
  return '"' .. kind .. '@' .. (tostring(value):match(': (.*)$') or '?') .. '"'
end

-- The level, as seen from the helper that calls this, of the script's innermost frame: the stopped
-- line's. Below it are the helper, the Java function that called it and the hook.
local function script_level()
  local level = 3
  local frame = getinfo(level, 'S')
  while frame and frame.source ~= '@user_script' do
    level = level + 1
    frame = getinfo(level, 'S')
  end
  return frame and level - 1
end

local D = {}

-- Line events, and every 100000 instructions a count event (Redis's debugger ends a runaway loop
-- with a stop); only the script's own lines count.
function D.hook(event)
  local frame = getinfo(2, 'Sl')
  if frame.source ~= '@user_script' then return end
  local reason = stop(event == 'count', frame.currentline)
  if reason then error(reason, 0) end
end

function D.show(value)
  return show(value, 0)
end

-- print <name>: the innermost local of that name, from the stopped frame outwards; then KEYS or ARGV.
function D.value(name)
  local level = script_level()
  while level and getinfo(level, 'l') do
    local index = 1
    local local_name, value = getlocal(level, index)
    while local_name do
      if local_name == name then return show(value, 0) end
      index = index + 1
      local_name, value = getlocal(level, index)
    end
    level = level + 1
  end
  if name == 'KEYS' or name == 'ARGV' then return show(rawget(G, name), 0) end
  return nil
end

-- print: 'name = value' for each local of the stopped frame, temporaries left out.
function D.locals()
  local level, shown, index = script_level(), {}, 1
  local name, value = getlocal(level, index)
  while name do
    if not name:find('(*temporary)', 1, true) then shown[#shown + 1] = name .. ' = ' .. show(value, 0) end
    index = index + 1
    name, value = getlocal(level, index)
  end
  return shown
end

-- trace: { {'In g:', line}, {'From top level:', line}, ... } for the script's frames.
function D.trace()
  local level, frames = script_level(), {}
  local first = level
  while level do
    local frame = getinfo(level, 'Snl')
    if not frame then break end
    if frame.short_src:find('user_script', 1, true) then
      frames[#frames + 1] = { (level == first and 'In ' or 'From ') .. (frame.name or 'top level') .. ':',
                              frame.currentline }
    end
    level = level + 1
  end
  return frames
end

-- eval <code>: as an expression first, then as statements, in the scripts' globals.
function D.eval(code)
  local chunk, err = loadstring('return ' .. code, '@ldb_eval')
  if not chunk then
    chunk, err = loadstring(code, '@ldb_eval')
    if not chunk then return '<error> ' .. err end
  end
  local ok, result = pcall(chunk)
  if not ok then
    -- The sandbox's pcall gives redis.call's errors as their text (Redis 7.0 crashes on them here).
    return '<error> ' .. tostring(result)
  end
  return '<retval> ' .. show(result, 0)
end

-- redis <command>: run as the script runs it; the debugger logs the command and its reply.
function D.call(...)
  pcall(redis_call, ...)
end

return D
