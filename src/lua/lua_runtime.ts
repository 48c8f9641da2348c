/**
 * The fixed part of every generated plugin: bit operations that work on Lua 5.2 (Wireshark
 * ≤ 4.2, `bit32`) and 5.3+ (Wireshark 4.4, native operators), field readers, the checksums of
 * checksum.ts, and per-conversation parameter history. It is plain Lua text; the generated
 * part (lua_dissector.ts) fills in the protocol and calls these functions.
 */

/**
 * Lua source of the runtime helpers. The generated code must define `FIELDS_BY_NAME` before
 * calling them and `default_params()` before `params_at`.
 *
 * @example luaRuntime().includes('local function crc32') // true
 */
export function luaRuntime(): string {
  return RUNTIME;
}

const RUNTIME = String.raw`
-- Bit operations: bit32 on Lua 5.2; native operators (compiled at load time) on Lua 5.3+.
local band32, bxor32, rshift32
if bit32 then
  band32, bxor32, rshift32 = bit32.band, bit32.bxor, bit32.rshift
else
  band32 = load("return function(a, b) return math.tointeger(a) & math.tointeger(b) end")()
  bxor32 = load("return function(a, b) return math.tointeger(a) ~ math.tointeger(b) end")()
  rshift32 = load("return function(a, n) return math.tointeger(a) >> n end")()
end

local TWO32 = 4294967296

-- AND of two non-negative integers below 2^53 (masks may sit above bit 31 in 64-bit fields).
local function band(a, b)
  if a < TWO32 and b < TWO32 then return band32(a, b) end
  local ah, al = math.floor(a / TWO32), a % TWO32
  local bh, bl = math.floor(b / TWO32), b % TWO32
  return band32(ah % TWO32, bh % TWO32) * TWO32 + band32(al, bl)
end

local function align(off, a)
  local r = off % a
  if r == 0 then return off end
  return off + a - r
end

-- A field value as a Lua number (UInt64/Int64 through their decimal text; exact below 2^53).
local function as_number(x)
  local t = type(x)
  if t == "number" then return x end
  if t == "boolean" then return x and 1 or 0 end
  if t == "userdata" then return tonumber(tostring(x)) end
  if t == "string" then return tonumber(x) end
  return nil
end

-- Every bit of mask is set in x (roles.ts flagIsSet).
local function has_bits(x, mask)
  local n = as_number(x)
  if n == nil or n < 0 or n % 1 ~= 0 then return false end
  return band(n, mask) == mask
end

-- A value as JavaScript's String() prints it, so matchers and kinds compare like acktrace.
local function jstr(x)
  local t = type(x)
  if t == "number" then
    if x % 1 == 0 and math.abs(x) < 1e21 then return string.format("%.0f", x) end
    for p = 15, 17 do
      local s = string.format("%." .. p .. "g", x)
      if tonumber(s) == x then return s end
    end
    return tostring(x)
  end
  if t == "boolean" then return x and "true" or "false" end
  return tostring(x)
end

-- roles.ts compileRole: a number from a field, binary or ASCII decimal, then mask/shift/scale/offset.
local function role_number(x, ascii, mask, shift, scale, add)
  if x == nil then return nil end
  local n
  if ascii then
    local s = type(x) == "string" and x or jstr(x)
    local z = s:find("\0", 1, true)
    if z then s = s:sub(1, z - 1) end
    s = s:match("^%s*(.-)%s*$")
    if not s:match("^%-?%d+$") then return nil end
    n = tonumber(s)
  elseif type(x) == "userdata" then
    if mask == nil and shift == 0 and scale == 1 and add == 0 then return x end
    n = as_number(x)
  elseif type(x) == "number" or type(x) == "boolean" then
    n = as_number(x)
  else
    return nil
  end
  if mask ~= nil then n = band(n, mask) end
  if shift ~= 0 then n = math.floor(n / 2 ^ shift) end
  return n * scale + add
end

-- Text of a NUL-padded string field: the bytes before the first NUL (field_io.ts readPaddedString).
local function text(tvb, off, n, enc)
  if n == 0 then return "" end
  local b = tvb:range(off, n):bytes()
  local k = 0
  while k < n and b:get_index(k) ~= 0 do k = k + 1 end
  if k == 0 then return "" end
  return tvb:range(off, k):string(enc)
end

-- Reads the value of field F at [off, off + n) (field_io.ts readField).
local function read_value(tvb, off, n, F)
  local t = F.type
  if t == "string" then return text(tvb, off, n, F.enc) end
  if t == "bytes" then return n == 0 and "" or tvb:range(off, n):raw() end
  if t == "bits" then
    local run = 0
    for i = 0, n - 1 do run = run * 256 + tvb:range(off + i, 1):uint() end
    return math.floor(run / 2 ^ F.shift) % 2 ^ F.width
  end
  local r = tvb:range(off, n)
  if t == "bool" then return r:uint() ~= 0 end
  if t == "u8" or t == "u16" or t == "u32" then if F.le then return r:le_uint() end return r:uint() end
  if t == "i8" or t == "i16" or t == "i32" then if F.le then return r:le_int() end return r:int() end
  if t == "u64" then if F.le then return r:le_uint64() end return r:uint64() end
  if t == "i64" then if F.le then return r:le_int64() end return r:int64() end
  if t == "f32" or t == "f64" then if F.le then return r:le_float() end return r:float() end
  return nil
end

-- Adds field F (value already read) to the tree, with its flag bits underneath.
local function add_field(tree, tvb, off, n, F, value)
  local r = n > 0 and tvb:range(off, n) or tvb:range(off, 0)
  local item
  if F.explicit then item = tree:add(F.hf, r, value)
  elseif F.le then item = tree:add_le(F.hf, r)
  else item = tree:add(F.hf, r) end
  for _, fl in ipairs(F.flags) do
    if fl.masked then
      if F.le then item:add_le(fl.hf, r) else item:add(fl.hf, r) end
    else
      item:add(fl.hf, r, has_bits(value, fl.mask))
    end
  end
  return item
end

-- Ones'-complement sum of a ByteArray's 16-bit big-endian words, folded (checksum.ts
-- internetSum); initial chains ranges (a pseudo-header, then the segment) as there.
local function internet_sum_bytes(b, initial)
  local n = b:len()
  local sum = initial
  for i = 0, n - 2, 2 do sum = sum + b:get_index(i) * 256 + b:get_index(i + 1) end
  if n % 2 == 1 then sum = sum + b:get_index(n - 1) * 256 end
  while sum > 0xffff do sum = sum % 65536 + math.floor(sum / 65536) end
  return sum
end

local function internet_sum(tvb, off, n, initial)
  if n <= 0 then return initial or 0 end
  return internet_sum_bytes(tvb:range(off, n):bytes(), initial or 0)
end

local crc_table = nil

-- CRC-32 as zlib computes it (checksum.ts crc32).
local function crc32(tvb, off, n)
  if crc_table == nil then
    crc_table = {}
    for i = 0, 255 do
      local c = i
      for _ = 1, 8 do
        if c % 2 == 1 then c = bxor32(0xedb88320, rshift32(c, 1)) else c = rshift32(c, 1) end
      end
      crc_table[i] = c
    end
  end
  local crc = 0xffffffff
  if n > 0 then
    local b = tvb:range(off, n):bytes()
    for i = 0, n - 1 do
      crc = bxor32(crc_table[band32(bxor32(crc, b:get_index(i)), 0xff)], rshift32(crc, 8))
    end
  end
  return bxor32(crc, 0xffffffff) % TWO32
end

local function copy_params(P, over)
  local out = {}
  for k, x in pairs(P) do out[k] = x end
  for k, x in pairs(over) do out[k] = x end
  return out
end

-- Learned parameters (seed 004's N) per conversation, remembered by (frame, record index) so
-- that re-dissecting any frame later, in any order, sees the values in force at that record.
local conversations = {}
local frame_seen, record_index, records_in_frame = -1, 0, {}

local function reset_state()
  conversations = {}
  frame_seen, record_index, records_in_frame = -1, 0, {}
end

local function conversation(pinfo)
  local a = tostring(pinfo.src) .. "/" .. tostring(pinfo.src_port)
  local b = tostring(pinfo.dst) .. "/" .. tostring(pinfo.dst_port)
  local key = a < b and (a .. " " .. b) or (b .. " " .. a)
  local c = conversations[key]
  if c == nil then c = { history = {} }; conversations[key] = c end
  return c
end

-- Index of the next record of this frame (0, 1, ...): a frame may carry several records.
local function peek_record_index(pinfo)
  local f = pinfo.number
  local i = (f == frame_seen) and record_index or 0
  local n = records_in_frame[f]
  if pinfo.visited and n ~= nil and n > 0 then i = i % n end
  return i
end

local function take_record_index(pinfo)
  local i = peek_record_index(pinfo)
  local f = pinfo.number
  if f ~= frame_seen then frame_seen, record_index = f, 0 end
  record_index = record_index + 1
  if not pinfo.visited then records_in_frame[f] = record_index end
  return i
end

local function params_at(conv, frame, index)
  local h = conv.history
  for k = #h, 1, -1 do
    local e = h[k]
    if e.frame < frame or (e.frame == frame and e.index < index) then return e.params end
  end
  return default_params()
end

local function remember_params(pinfo, conv, frame, index, P)
  if pinfo.visited then return end
  table.insert(conv.history, { frame = frame, index = index, params = P })
end
`;
