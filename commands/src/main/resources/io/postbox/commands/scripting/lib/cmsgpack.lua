-- lua-cmsgpack 0.4.0 as Redis ships it: MessagePack without the bin and ext types. Its functions
-- are C, from the native layer (cmsgpack.c), as Redis's are: frameworks call them in nearly every
-- script. The table is filled in lua-cmsgpack's order, which is the order pairs() visits it in.
local S = ...
local cmsgpack = {}
cmsgpack.pack = S.native.cmsgpack_pack
cmsgpack.unpack = S.native.cmsgpack_unpack
cmsgpack.unpack_one = S.native.cmsgpack_unpack_one
cmsgpack.unpack_limit = S.native.cmsgpack_unpack_limit
cmsgpack._NAME = "cmsgpack"
cmsgpack._VERSION = "lua-cmsgpack 0.4.0"
cmsgpack._COPYRIGHT = "Copyright (C) 2012, Salvatore Sanfilippo"
cmsgpack._DESCRIPTION = "MessagePack C implementation for Lua"
return cmsgpack
