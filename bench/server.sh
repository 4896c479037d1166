#!/usr/bin/env bash
# End to end (issue #7, part 4): our model server vs a Python KServe server running revscoring
# the way Lift Wing's revscoring model server does (bench/peer_liftwing_server.py: kserve 0.13.1
# + revscoring 2.11.13 from PyPI, in .venv-kserve), both fetching from the same fake MediaWiki
# API (fake-mwapi) on loopback, same model file, same requests ({"rev_id": N} cycling over the
# documents), wrk as the bounded client.
#
#   bench/server.sh [DOCUMENTS.jsonl] [MODEL] [SECONDS] [CONCURRENCY]
#
# Measures, each for SECONDS:
#   1. the fake API alone, 1 connection: one revision query (what a scoring request waits for
#      twice: the revision, then its parent and user together);
#   2. each server at 1 connection: latency; "added" = server p50/p99 minus two API round trips
#      (percentiles do not subtract: on a noisy machine the API's p99 tail enters twice), and,
#      per request, the time the server adds to its API calls as its Server-Timing header says
#      (total − mwapi: from the request handler's start to the answer, minus the fetch of the
#      revision, parent and user and the reading of their answers); the Python peer sends the
#      same header (bench/peer_liftwing_server.py);
#   3. each server at CONCURRENCY connections: requests/s.
# Prints a markdown table. Needs wrk (apt-get install wrk); creates .venv-kserve if missing.
set -euo pipefail
cd "$(dirname "$0")/.."
DOCS="${1:-Fixtures/sample-revisions.jsonl}"
MODEL="${2:-Fixtures/models/enwiki.goodfaith.gradient_boosting.small.model}"
SECS="${3:-15}"
CONC="${4:-8}"
API_PORT=18191 OURS_PORT=18192 PEER_PORT=18193
if [ ! -x .venv-kserve/bin/python ]; then
  python3 -m venv .venv-kserve
  .venv-kserve/bin/pip install -q --disable-pip-version-check -r ../shared/reference/requirements.txt
  .venv-kserve/bin/pip install -q --disable-pip-version-check "kserve==0.13.1" "numpy==1.24.4"
fi
swift build -c release -Xswiftc -enable-testing --product score-cli >/dev/null 2>&1
swift build -c release -Xswiftc -enable-testing --product fake-mwapi >/dev/null 2>&1
BIN=.build/release
PIDS=()
trap 'kill "${PIDS[@]}" 2>/dev/null || true' EXIT
"$BIN/fake-mwapi" "$DOCS" "$API_PORT" >/dev/null 2>&1 & PIDS+=($!)
OPENBLAS_NUM_THREADS=1 "$BIN/score-cli" serve --model-file "$MODEL" --name enwiki-goodfaith --port "$OURS_PORT" \
  --api "http://127.0.0.1:$API_PORT/w/api.php" >/dev/null 2>&1 & PIDS+=($!)
OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 REFERENCE_VENV="$PWD/.venv-kserve" ../shared/reference/run.sh \
  bench/peer_liftwing_server.py --model-file "$MODEL" --wiki-url "http://127.0.0.1:$API_PORT" --port "$PEER_PORT" \
  >/dev/null 2>&1 & PIDS+=($!)
for port in $OURS_PORT $PEER_PORT; do
  for _ in $(seq 60); do
    curl -sf "http://127.0.0.1:$port/v1/models/enwiki-goodfaith" >/dev/null 2>&1 && break
    sleep 1
  done
done
IDS=$(python3 -c "import json,sys; print(','.join(str(json.loads(l)['rev_id']) for l in open(sys.argv[1]) if l.strip()))" "$DOCS")
FIRST=${IDS%%,*}
# The two servers must agree before they are timed.
a=$(curl -s -X POST -H "Content-Type: application/json" -d "{\"rev_id\": $FIRST}" "http://127.0.0.1:$OURS_PORT/v1/models/enwiki-goodfaith:predict")
b=$(curl -s -X POST -H "Content-Type: application/json" -d "{\"rev_id\": $FIRST}" "http://127.0.0.1:$PEER_PORT/v1/models/enwiki-goodfaith:predict")
python3 -c "import json,sys; a,b=json.loads(sys.argv[1]),json.loads(sys.argv[2]); sys.exit(0 if a==b else 'servers disagree: %s vs %s' % (a,b))" "$a" "$b"

LUA=$(mktemp --suffix=.lua)
cat > "$LUA" <<LUA
local ids = { $IDS }
local counter = 0
local mode = os.getenv("MODE")
request = function()
  counter = counter + 1
  local id = ids[(counter % #ids) + 1]
  if mode == "api" then
    return wrk.format("GET", "/w/api.php?action=query&prop=revisions&revids=" .. id ..
      "&rvslots=main&rvprop=content%7Cuserid%7Csize%7Ccontentmodel%7Cids%7Cuser%7Ccomment%7Ctimestamp&format=json")
  end
  return wrk.format("POST", "/v1/models/enwiki-goodfaith:predict", { ["Content-Type"] = "application/json" },
                    '{"rev_id": ' .. id .. '}')
end
-- Each answer's Server-Timing header: total - mwapi is the time the server added to its API
-- calls (see bench/server.sh's header). Kept per thread; done() gathers them.
added = {}
local threads = {}
setup = function(thread) table.insert(threads, thread) end
response = function(status, headers, body)
  for name, value in pairs(headers) do
    if string.lower(name) == "server-timing" then
      local mwapi = tonumber(string.match(value, "mwapi;dur=([%d%.]+)"))
      local total = tonumber(string.match(value, "total;dur=([%d%.]+)"))
      if mwapi and total then table.insert(added, total - mwapi) end
    end
  end
end
done = function(summary, latency, requests)
  local e = summary.errors
  local all = {}
  for _, thread in ipairs(threads) do
    for _, v in ipairs(thread:get("added") or {}) do table.insert(all, v) end
  end
  table.sort(all)
  local function pct(p) if #all == 0 then return -1 end return all[math.max(1, math.ceil(#all * p / 100))] end
  io.write(string.format('{"requests": %d, "errors": %d, "rps": %.2f, "p50_ms": %.3f, "p99_ms": %.3f, ' ..
    '"timed": %d, "inside_p50_ms": %.3f, "inside_p99_ms": %.3f}\n',
    summary.requests, e.status + e.connect + e.read + e.write + e.timeout,
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    #all, pct(50), pct(99)))
end
LUA
measure() {  # mode port connections
  MODE=$1 wrk -t1 -c"$3" -d"${SECS}s" --timeout 30s -s "$LUA" "http://127.0.0.1:$2" | grep '^{'
}
API=$(measure api $API_PORT 1)
OURS1=$(measure server $OURS_PORT 1)
PEER1=$(measure server $PEER_PORT 1)
OURSN=$(measure server $OURS_PORT "$CONC")
PEERN=$(measure server $PEER_PORT "$CONC")
rm -f "$LUA"
python3 - "$DOCS" "$MODEL" "$CONC" "$SECS" "$API" "$OURS1" "$PEER1" "$OURSN" "$PEERN" <<'PY'
import json, sys
docs, model, conc, secs = sys.argv[1:5]
api, o1, p1, on, pn = (json.loads(x) for x in sys.argv[5:10])
print(f"Documents `{docs}`, model `{model}`, {secs} s per measurement, wrk 1 thread.\n")
print(f"Fake MediaWiki API alone (1 connection, one revision query): p50 {api['p50_ms']:.2f} ms, p99 {api['p99_ms']:.2f} ms.\n")
print("| server | 1 conn. p50 | 1 conn. p99 | added p50 / p99 (minus 2 API round trips) | "
      "added in the server p50 / p99 (Server-Timing total − mwapi) | "
      f"{conc} conn. requests/s | errors | throughput ratio |")
print("|---|---|---|---|---|---|---|---|")
for name, a, b in (("**revscoring-swift** (`score-cli serve`)", o1, on), ("Lift Wing-style KServe + revscoring (Python)", p1, pn)):
    added = f"{a['p50_ms'] - 2 * api['p50_ms']:.2f} / {a['p99_ms'] - 2 * api['p99_ms']:.2f} ms"
    inside = (f"{a['inside_p50_ms']:.2f} / {a['inside_p99_ms']:.2f} ms ({a['timed']} requests)"
              if a.get("timed") else "– (no Server-Timing header)")
    ratio = "1×" if b is pn else f"**{on['rps'] / pn['rps']:.1f}×** the Python server"
    print(f"| {name} | {a['p50_ms']:.2f} ms | {a['p99_ms']:.2f} ms | {added} | {inside} | {b['rps']:.1f} | "
          f"{a['errors'] + b['errors']} | {ratio} |")
PY
