-- Lua CJSON 2.1.0 as Redis ships it: cjson.encode, cjson.decode, their settings, cjson.null and
-- cjson.new (an instance with its own settings). encode and decode are C, from the native layer
-- (cjson_encode.c, cjson_decode.c), each a closure over the instance's settings table (cfg); the
-- settings and their checks are here.
local S = ...
local argerror, checkstring, checkinteger = S.argerror, S.checkstring, S.checkinteger
local null = S.null
local ipairs, select, type = ipairs, select, type

local INT_MAX = 2147483647

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
  cjson.encode = S.native.cjson_encoder(cfg) -- C closures over cfg, reading it on every call
  cjson.decode = S.native.cjson_decoder(cfg)

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
