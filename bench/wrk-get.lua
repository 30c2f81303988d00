-- GET $BENCH_PATH; with $BENCH_TOKENS (one ID token a line) each request carries the next token, so a run
-- spreads over every tenant in the file. done() prints one JSON line the bench driver parses.
local path = os.getenv("BENCH_PATH") or "/health"
local tokens = {}
local next_token = 0

function init(args)
  local file = os.getenv("BENCH_TOKENS")
  if file and file ~= "" then
    for line in io.lines(file) do
      if line ~= "" then tokens[#tokens + 1] = line end
    end
    -- Threads start at different places in the list.
    math.randomseed(os.time() + (tonumber(tostring({}):match("0x(%x+)"), 16) or 0))
    next_token = math.random(#tokens) - 1
  end
end

function request()
  if #tokens == 0 then
    return wrk.format("GET", path)
  end
  next_token = next_token % #tokens + 1
  return wrk.format("GET", path, { ["Authorization"] = "Bearer " .. tokens[next_token] })
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH-RESULT {"requests":%d,"durationUs":%d,"p50Us":%d,"p90Us":%d,"p99Us":%d,"maxUs":%d,"non2xx":%d,"socketErrors":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, e.status, e.connect + e.read + e.write + e.timeout))
end
