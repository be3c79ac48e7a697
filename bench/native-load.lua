-- wrk script for bench/native-load.sh: every request is a pre-signed delivery from the file
-- $NATIVE_LOAD_REQUESTS (complete HTTP/1.1 requests separated by NUL bytes, written by
-- bench/native-load-requests.mjs) and is sent once: a new call must be a new call, so a file
-- that runs out stops the thread instead of sending anything twice, and the run says so.
-- Thread i of $NATIVE_LOAD_THREADS takes requests i, i+n, i+2n, … (wrk calls request() once
-- before the run to check it, so the first request of thread 0 is never sent; nothing is
-- sent twice either way). Each answer is checked
-- here (200 with "duplicate":false) and its event_id kept, so the script can look each one
-- up in the ledger afterwards. done() writes $NATIVE_LOAD_SUMMARY (JSON) and
-- $NATIVE_LOAD_IDS (one event id per line).

local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  local count = tonumber(os.getenv("NATIVE_LOAD_THREADS") or "1")
  local file = assert(io.open(os.getenv("NATIVE_LOAD_REQUESTS"), "rb"))
  local all = file:read("*a")
  file:close()
  requests = {}
  local index, start = 0, 1
  while start <= #all do
    local stop = string.find(all, "\0", start, true) or (#all + 1)
    if index % count == id then table.insert(requests, string.sub(all, start, stop - 1)) end
    index = index + 1
    start = stop + 1
  end
  available = #requests
  cycle = os.getenv("NATIVE_LOAD_CYCLE") == "1"
  next_request = 1
  exhausted = 0
  ok = 0
  duplicates = 0
  non2xx = 0
  ids = {}
end

function request()
  if next_request > #requests and cycle then
    -- NATIVE_LOAD_CYCLE=1 (bench/native-live.sh): the file again, as provider retries.
    next_request = 1
  end
  if next_request > #requests then
    -- Nothing left that was never sent: stop rather than repeat one.
    exhausted = 1
    wrk.thread:stop()
    return requests[#requests]
  end
  local raw = requests[next_request]
  next_request = next_request + 1
  return raw
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
    return
  end
  if string.find(body, '"duplicate":false', 1, true) then
    ok = ok + 1
    local event_id = string.match(body, '"event_id":"(evt_[0-9a-f]+)"')
    if event_id then table.insert(ids, event_id) end
  else
    duplicates = duplicates + 1
  end
end

function done(summary, latency, requests)
  local totals = { ok = 0, duplicates = 0, non2xx = 0, exhausted = 0, sent = 0, available = 0 }
  local ids_file = assert(io.open(os.getenv("NATIVE_LOAD_IDS"), "w"))
  for _, thread in ipairs(threads) do
    totals.ok = totals.ok + thread:get("ok")
    totals.duplicates = totals.duplicates + thread:get("duplicates")
    totals.non2xx = totals.non2xx + thread:get("non2xx")
    totals.exhausted = totals.exhausted + thread:get("exhausted")
    totals.sent = totals.sent + thread:get("next_request") - 1
    totals.available = totals.available + thread:get("available")
    for _, event_id in ipairs(thread:get("ids")) do ids_file:write(event_id, "\n") end
  end
  ids_file:close()
  local errors = summary.errors
  local out = assert(io.open(os.getenv("NATIVE_LOAD_SUMMARY"), "w"))
  out:write(string.format(
    '{"duration_us":%d,"requests":%d,"requests_per_s":%.1f,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,' ..
      '"ok":%d,"duplicates":%d,"non2xx":%d,"sent":%d,"available":%d,"exhausted_threads":%d,' ..
      '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}}\n',
    summary.duration, summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    totals.ok, totals.duplicates, totals.non2xx, totals.sent, totals.available, totals.exhausted,
    errors.connect, errors.read, errors.write, errors.status, errors.timeout))
  out:close()
end
