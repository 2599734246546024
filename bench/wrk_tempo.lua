-- wrk script of bench/api_load.py: POST one body at a fixed total rate, evenly spaced, and count status codes.
--
-- wrk -t T -c C -d D --timeout 20s -s bench/wrk_tempo.lua URL -- BODY_FILE BEARER_TOKEN RATE_PER_THREAD T
--
-- Each wrk thread keeps one schedule for its connections: a request may leave at the thread's next slot,
-- 1/RATE_PER_THREAD seconds after the previous one, never earlier (like hey -q, it does not catch up after
-- the server fell behind: a slot in the past moves to now). The slots of T threads are offset by 1/T slot.
-- Latency is measured by wrk from sending a request to its full response.
-- At the end it prints one JSON object (see `done`), read by bench/api_load.py: "sent" counts the requests
-- written, so those still unanswered when wrk stopped (sent - requests - errors) are known.

local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } hg_timespec;
int clock_gettime(int clk_id, hg_timespec *tp);
]]
local CLOCK_MONOTONIC = 1
local ts = ffi.new("hg_timespec")
local function now_ms()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, ts)
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

local threads = {}
local counter = 0

function setup(thread)
  thread:set("index", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

local interval, next_slot
statuses = {}
sent = 0

function init(args)
  local f = assert(io.open(args[1], "rb"))
  wrk.body = f:read("*a")
  f:close()
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. args[2]
  local rate = tonumber(args[3])
  if rate and rate > 0 then
    interval = 1000 / rate
    next_slot = now_ms() + interval * index / (tonumber(args[4]) or 1)
  end
end

function delay()
  if not interval then
    return 0
  end
  local now = now_ms()
  if next_slot < now then
    next_slot = now
  end
  local wait = next_slot - now
  next_slot = next_slot + interval
  return math.floor(wait + 0.5)
end

function request()
  sent = sent + 1
  return wrk.format()
end

function response(status, headers, body)
  local key = tostring(status)
  statuses[key] = (statuses[key] or 0) + 1
end

function done(summary, latency, requests)
  local counts, total_sent = {}, 0
  for _, thread in ipairs(threads) do
    local s = thread:get("statuses")
    for code, n in pairs(s) do
      counts[code] = (counts[code] or 0) + n
    end
    total_sent = total_sent + thread:get("sent")
  end
  local parts = {}
  for code, n in pairs(counts) do
    table.insert(parts, string.format('"%s":%d', code, n))
  end
  local e = summary.errors
  io.write(string.format(
    '\nHG-WRK {"requests":%d,"sent":%d,"duration_us":%d,"statuses":{%s},'
      .. '"errors":{"connect":%d,"read":%d,"write":%d,"timeout":%d},'
      .. '"latency_us":{"p50":%d,"p90":%d,"p99":%d,"mean":%.1f,"max":%d}}\n',
    summary.requests, total_sent, summary.duration, table.concat(parts, ","),
    e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.mean, latency.max))
end
