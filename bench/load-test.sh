#!/usr/bin/env bash
# Bounded load test of `score-cli serve` on loopback (issue: model server).
#
#   bench/load-test.sh [DOCUMENTS.jsonl] [MODEL] [SECONDS] [CONCURRENCY]
#
# Starts fake-mwapi (serving DOCUMENTS) and score-cli serve (MODEL as enwiki-goodfaith), then
# sends Lift Wing requests ({"rev_id": N}, cycling over the documents' rev ids) with wrk at
# CONCURRENCY connections for SECONDS, three rounds, and prints each round's request count,
# errors, requests/s and latency distribution, and the server's resident memory after each
# round (flat memory = no growth from round to round). wrk runs for a fixed time, not a fixed
# count: its stop-after-N hook leaves the clock running, which would understate requests/s.
# Needs wrk (apt-get install wrk).
set -euo pipefail
cd "$(dirname "$0")/.."
DOCS="${1:-Fixtures/sample-revisions.jsonl}"
MODEL="${2:-Fixtures/models/enwiki.goodfaith.gradient_boosting.small.model}"
SECONDS_PER_ROUND="${3:-15}"
CONCURRENCY="${4:-64}"
API_PORT=18181
SERVER_PORT=18180
swift build -c release -Xswiftc -enable-testing --product score-cli >/dev/null 2>&1
swift build -c release -Xswiftc -enable-testing --product fake-mwapi >/dev/null 2>&1
BIN=.build/release
"$BIN/fake-mwapi" "$DOCS" "$API_PORT" >/dev/null 2>&1 &
API_PID=$!
"$BIN/score-cli" serve --model-file "$MODEL" --name enwiki-goodfaith --port "$SERVER_PORT" \
  --api "http://127.0.0.1:$API_PORT/w/api.php" >/dev/null 2>&1 &
SERVER_PID=$!
trap 'kill $API_PID $SERVER_PID 2>/dev/null || true' EXIT
sleep 2
IDS=$(python3 -c "import json,sys; print(','.join(str(json.loads(l)['rev_id']) for l in open(sys.argv[1]) if l.strip()))" "$DOCS")
LUA=$(mktemp --suffix=.lua)
cat > "$LUA" <<LUA
local ids = { $IDS }
local counter = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  counter = counter + 1
  return wrk.format(nil, "/v1/models/enwiki-goodfaith:predict", nil,
                    '{"rev_id": ' .. ids[(counter % #ids) + 1] .. '}')
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("requests %d, errors %d (non-2xx %d, socket %d), %.0f req/s\n",
    summary.requests, e.status + e.connect + e.read + e.write + e.timeout, e.status,
    e.connect + e.read + e.write + e.timeout, summary.requests / (summary.duration / 1e6)))
  for _, p in pairs({ 50, 90, 99, 99.9 }) do
    io.write(string.format("p%s %.2f ms\n", p, latency:percentile(p) / 1000))
  end
end
LUA
rss() { awk '/VmRSS/ {print $2 " kB"}' "/proc/$SERVER_PID/status"; }
echo "server RSS before: $(rss)"
for round in 1 2 3; do
  echo "round $round: ${SECONDS_PER_ROUND}s, $CONCURRENCY connections, 2 wrk threads"
  wrk -t2 -c"$CONCURRENCY" -d"${SECONDS_PER_ROUND}s" --timeout 10s -s "$LUA" "http://127.0.0.1:$SERVER_PORT" | grep -E "^(requests|p[0-9])"
  echo "server RSS after round $round: $(rss)"
done
rm -f "$LUA"
