-- Shared by every scenario script (loaded with dofile): request generators and the done()
-- hook that writes wrk's summary as one JSON line to the file named by BENCH_RESULT.
--
-- Parameters come from the environment (set by bench/wrk.py):
--   BENCH_RESULT      file the summary is written to
--   BENCH_SEED        seed of math.random
--   BENCH_ID_MIN, BENCH_ID_COUNT   book ids drawn from [min, min + count)
--   BENCH_ID_ORDER    "random" (default) or "permuted": every id once before any repeats
--   BENCH_DETAIL_START, BENCH_SEARCH_START   where this run's permuted ids / queries begin,
--                     so a warm-up and the measured run after it never share one
--   BENCH_QUERIES     file of URL-encoded search queries, one per line, each used once
--   BENCH_SURNAMES    file of URL-encoded author surnames
--   BENCH_AUTHOR_IDS  comma-separated author ids for POST /books bodies
--   BENCH_TOKEN       unique per wrk run: makes reviewer names and titles unique

local function env_number(name, default)
  local value = os.getenv(name)
  if value == nil or value == "" then
    return default
  end
  return tonumber(value)
end

local function read_lines(path)
  local lines = {}
  if path == nil or path == "" then
    return lines
  end
  for line in io.lines(path) do
    if line ~= "" then
      lines[#lines + 1] = line
    end
  end
  return lines
end

math.randomseed(env_number("BENCH_SEED", 1))

local id_min = env_number("BENCH_ID_MIN", 1)
local id_count = env_number("BENCH_ID_COUNT", 1)
local permuted = os.getenv("BENCH_ID_ORDER") == "permuted"
local detail_start = env_number("BENCH_DETAIL_START", 0)
local search_start = env_number("BENCH_SEARCH_START", 0)
local token = os.getenv("BENCH_TOKEN") or "t"
-- A prime above any id count: i * PRIME mod count visits every residue once per count steps.
local PRIME = 2147483647

local queries = read_lines(os.getenv("BENCH_QUERIES"))
local surnames = read_lines(os.getenv("BENCH_SURNAMES"))
local author_ids = {}
for id in string.gmatch(os.getenv("BENCH_AUTHOR_IDS") or "", "%d+") do
  author_ids[#author_ids + 1] = tonumber(id)
end

local json_headers = { ["Content-Type"] = "application/json" }
-- Writes carry an API key when the scenario runs with access control on.
local api_key = os.getenv("BENCH_API_KEY") or ""
if api_key ~= "" then
  json_headers["X-API-Key"] = api_key
end

-- Read by done() through thread:get(): how many of each kind this thread generated.
detail_n = 0
search_n = 0
write_n = 0

function book_id()
  local index
  if permuted then
    index = ((detail_start + detail_n) * PRIME) % id_count
  else
    index = math.random(0, id_count - 1)
  end
  detail_n = detail_n + 1
  return id_min + index
end

function detail_request()
  return wrk.format("GET", "/books/" .. book_id())
end

function search_request()
  local index = search_start + search_n + 1
  search_n = search_n + 1
  local q = queries[index]
  if q == nil then
    -- Out of unique queries: repeat from the start (bench/wrk.py reports this as a problem).
    q = queries[(index - 1) % #queries + 1]
  end
  return wrk.format("GET", "/books?q=" .. q .. "&limit=20")
end

function authors_request()
  local name = surnames[math.random(1, #surnames)]
  return wrk.format("GET", "/authors?q=" .. name)
end

function post_book_request()
  write_n = write_n + 1
  local first = author_ids[math.random(1, #author_ids)]
  local ids = tostring(first)
  if math.random() < 0.5 and #author_ids > 1 then
    local second = first
    while second == first do
      second = author_ids[math.random(1, #author_ids)]
    end
    ids = ids .. "," .. second
  end
  local body = string.format(
    '{"title":"Bench book %s-%d","year":%d,"genre_name":"Benchmark",'
      .. '"description":"Written by the benchmark.","author_ids":[%s]}',
    token, write_n, math.random(1800, 2025), ids
  )
  return wrk.format("POST", "/books", json_headers, body)
end

function post_review_request()
  write_n = write_n + 1
  local body = string.format(
    '{"reviewer_name":"bench-%s-%d","rating":%d,"comment":"Read it for the benchmark."}',
    token, write_n, math.random(1, 5)
  )
  return wrk.format("POST", "/books/" .. book_id() .. "/reviews", json_headers, body)
end

local threads = {}

function setup(thread)
  threads[#threads + 1] = thread
end

function done(summary, latency, requests)
  local counts = { detail = 0, search = 0, write = 0 }
  for _, thread in ipairs(threads) do
    counts.detail = counts.detail + (thread:get("detail_n") or 0)
    counts.search = counts.search + (thread:get("search_n") or 0)
    counts.write = counts.write + (thread:get("write_n") or 0)
  end
  local errors = summary.errors
  local out = assert(io.open(os.getenv("BENCH_RESULT"), "w"))
  out:write(string.format(
    '{"requests":%d,"duration_us":%d,"bytes":%d,"p50_us":%d,"p99_us":%d,"max_us":%d,'
      .. '"non2xx":%d,"connect_errors":%d,"read_errors":%d,"write_errors":%d,'
      .. '"timeouts":%d,"generated_detail":%d,"generated_search":%d,"generated_write":%d}\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(99), latency.max,
    errors.status, errors.connect, errors.read, errors.write, errors.timeout,
    counts.detail, counts.search, counts.write
  ))
  out:close()
end
