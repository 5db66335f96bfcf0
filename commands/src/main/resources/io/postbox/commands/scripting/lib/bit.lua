-- LuaBitOp ("bit") as Redis gives it to scripts: 32-bit operations on Lua numbers. The functions
-- are C, from the native layer (bit.c), as Redis's are. The table is filled in LuaBitOp's order,
-- which is the order pairs() visits it in.
local S = ...
local N = S.native
local bit = {}
bit.tobit = N.bit_tobit
bit.bnot = N.bit_bnot
bit.band = N.bit_band
bit.bor = N.bit_bor
bit.bxor = N.bit_bxor
bit.lshift = N.bit_lshift
bit.rshift = N.bit_rshift
bit.arshift = N.bit_arshift
bit.rol = N.bit_rol
bit.ror = N.bit_ror
bit.bswap = N.bit_bswap
bit.tohex = N.bit_tohex
return bit
