-- Roberto Ierusalimschy's struct library as Redis ships it: struct.pack, struct.unpack and
-- struct.size over a format string. The functions are C, from the native layer (struct.c), as
-- Redis's are: Redisson's delayed queue calls them on every element. The table is filled in the
-- library's order, which is the order pairs() visits it in.
local S = ...
local struct = {}
struct.pack = S.native.struct_pack
struct.unpack = S.native.struct_unpack
struct.size = S.native.struct_size
return struct
