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

-- BENCH_IDEMPOTENCY_KEYS=1: a new Idempotency-Key on every request.
if os.getenv("BENCH_IDEMPOTENCY_KEYS") == "1" then
  math.randomseed(os.time())
  local run = string.format("%08x", math.random(0, 0x7fffffff))
  local sent = 0
  function request()
    sent = sent + 1
    local headers = {}
    for name, value in pairs(wrk.headers) do
      headers[name] = value
    end
    headers["Idempotency-Key"] = run .. "-" .. sent
    return wrk.format(nil, nil, headers)
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
