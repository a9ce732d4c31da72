-- wrk script: sends a JSON POST when BENCH_METHOD=POST, and prints one machine-readable summary line.
local method = os.getenv("BENCH_METHOD") or "GET"
local authorization = os.getenv("BENCH_AUTHORIZATION")
if authorization and authorization ~= "" then
  wrk.headers["Authorization"] = authorization
end
-- BENCH_CLOSE=1: a new connection for every request, as clients without keep-alive do.
if os.getenv("BENCH_CLOSE") == "1" then
  wrk.headers["Connection"] = "close"
end
if method ~= "GET" then
  wrk.method = method
  wrk.body = os.getenv("BENCH_BODY") or ""
  wrk.headers["Content-Type"] = "application/json"
end

-- BENCH_HEADERS: more request headers, one "Name: value" a line.
for line in (os.getenv("BENCH_HEADERS") or ""):gmatch("[^\n]+") do
  local name, value = line:match("^([^:]+):%s*(.*)$")
  if name then
    wrk.headers[name] = value
  end
end

-- BENCH_IDEMPOTENCY_KEYS=1: a new Idempotency-Key on every request.
local fresh_keys = os.getenv("BENCH_IDEMPOTENCY_KEYS") == "1"
-- BENCH_FIRST_ID: "{id}" in BENCH_PATH becomes BENCH_FIRST_ID, then the next id on every request.
local first_id = tonumber(os.getenv("BENCH_FIRST_ID") or "")
local path_template = os.getenv("BENCH_PATH")
if fresh_keys or first_id then
  math.randomseed(os.time())
  local run = string.format("%08x", math.random(0, 0x7fffffff))
  local sent = 0
  function request()
    sent = sent + 1
    local headers, path = nil, nil
    if fresh_keys then
      headers = {}
      for name, value in pairs(wrk.headers) do
        headers[name] = value
      end
      headers["Idempotency-Key"] = run .. "-" .. sent
    end
    if first_id then
      path = (path_template:gsub("{id}", tostring(first_id + sent - 1)))
    end
    return wrk.format(nil, path, headers)
  end
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "seconds": %f, "failures": %d, "p50_ms": %f, "p99_ms": %f}\n',
    summary.requests,
    summary.duration / 1e6,
    errors.connect + errors.read + errors.write + errors.status + errors.timeout,
    latency:percentile(50) / 1000,
    latency:percentile(99) / 1000
  ))
end
