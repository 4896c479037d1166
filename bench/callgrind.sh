#!/usr/bin/env bash
# Instruction counts of the hot paths with valgrind's callgrind (issue #7: "profile the hot paths
# and act on them"). Unlike wall-clock time on a shared 2-vCPU VM, an instruction count is the
# same on every run of the same binary and inputs, so a change's effect can be read off one run
# per build, even a few percent, with the other core busy.
#
#   bench/callgrind.sh [DOCUMENTS.jsonl] [ROWS.jsonl] [MODEL] [BINARY]
#
#   1. Feature extraction: `score-cli extract --workers 1` over DOCUMENTS, minus the same
#      command over the first document only (start-up and what is made on first use: word
#      lists, dictionaries), divided by the other documents = instructions per revision.
#   2. Single-row scoring as `score-cli predict` does it (JSON line in, model.score(row), JSON
#      line out): ROWS repeated to 2000 lines, minus zero lines = instructions per row.
#   3. The model server (`score-cli serve`, fixture model, Fixtures/sample-revisions.jsonl from
#      fake-mwapi on loopback): after 20 warm-up requests the counters are zeroed, then two
#      windows of 200 keep-alive Lift Wing requests are counted = instructions per request
#      (every thread; the kernel's share is not counted). The two windows agree to ~0.5%.
#   For 1 and 3, the functions that execute the most instructions (self), demangled.
#
# BINARY defaults to the release score-cli (built if missing). Two things valgrind 3.19
# (Debian 12) needs here:
#   - a copy of the binary with the debug sections stripped: it cannot read the Swift
#     toolchain's DWARF 5 (the symbol table, hence function names, stays);
#   - a sigsuspend that passes a writable mask (LD_PRELOAD, built here with cc): libdispatch's
#     main-thread park (every async `main`) passes a mask in read-only memory, which valgrind's
#     syscall wrapper writes to, and valgrind dies with SIGSEGV.
set -euo pipefail
cd "$(dirname "$0")/.."
DOCS="${1:-../shared/corpus/enwiki-revisions.jsonl}"
ROWS="${2:-Fixtures/rows.jsonl}"
MODEL="${3:-../shared/models/enwiki.goodfaith.gradient_boosting.model}"
BIN="${4:-.build/release/score-cli}"
TOP="${TOP:-25}"
command -v valgrind >/dev/null || { echo "bench/callgrind.sh: needs valgrind (apt-get install valgrind)" >&2; exit 2; }
if [ ! -x "$BIN" ]; then swift build -c release -Xswiftc -enable-testing --product score-cli >/dev/null; fi
WORK=$(mktemp -d)
PIDS=()
trap 'kill "${PIDS[@]}" 2>/dev/null || true; rm -rf "$WORK"' EXIT
objcopy --strip-debug "$BIN" "$WORK/score-cli"
cat > "$WORK/sigsuspend.c" <<'C'
#define _GNU_SOURCE
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>
int sigsuspend(const sigset_t *mask) {
    sigset_t copy = *mask;
    return (int)syscall(SYS_rt_sigsuspend, &copy, 8);
}
C
cc -shared -fPIC -O2 -o "$WORK/sigsuspend.so" "$WORK/sigsuspend.c"
SHIM="$WORK/sigsuspend.so"

# Instructions of one run: callgrind's total ("Collected"), with its output kept in $WORK/$1.
count() {  # name, then the command's arguments; standard input as given
  local name=$1; shift
  LD_PRELOAD="$SHIM" OPENBLAS_NUM_THREADS=1 valgrind --tool=callgrind --callgrind-out-file="$WORK/$name.out" "$WORK/score-cli" "$@" \
    >"$WORK/$name.stdout" 2>"$WORK/$name.stderr" || { cat "$WORK/$name.stderr" >&2; exit 1; }
  sed -n 's/^==[0-9]*== Collected : //p' "$WORK/$name.stderr"
}

# The functions that execute the most instructions by themselves, as "share | Ir | function".
top() {  # callgrind output file, total of the work measured
  # awk reads to the end (no `head`): under pipefail, a writer cut off by SIGPIPE fails the run.
  callgrind_annotate --inclusive=no --threshold=100 "$1" 2>/dev/null \
    | awk -v top="$TOP" '/^-+$/ {rule++; next} rule >= 3 && NF >= 2 && $1 ~ /^[0-9,]+$/ && !/PROGRAM TOTALS/ && ++n <= top + 10' \
    | python3 -c '
import re, subprocess, sys
total = float(sys.argv[1])
rows = []
for line in sys.stdin:
    m = re.match(r"\s*([\d,]+)\s+\([^)]*\)\s+(.*?)(\s+\[[^\]]*\])?$", line.rstrip())
    # Thread entry frames show as 100% "self" in a window dumped after zeroing: not work.
    if m and int(m.group(1).replace(",", "")) < 0.999 * total:
        rows.append((int(m.group(1).replace(",", "")), m.group(2).partition(":")[2] or m.group(2)))
names = subprocess.run(["swift", "demangle", "--simplified"], input="\n".join(n for _, n in rows),
                       capture_output=True, text=True).stdout.split("\n")
print("| share | instructions | function |")
print("|---|---|---|")
for (ir, _), name in list(zip(rows, names))[:int(sys.argv[2])]:
    print(f"| {100 * ir / total:4.1f}% | {ir:,} | `{name[:120]}` |")
' "$2" "$TOP"
}

# Minus a run over the first document, not over none: the first revision also pays for what
# is made on first use (compiled word-list regexes, Hunspell's dictionaries).
N_DOCS=$(grep -c . "$DOCS")
grep -m1 . "$DOCS" > "$WORK/first.jsonl"
first=$(count extract-first extract --workers 1 "$WORK/first.jsonl")
full=$(count extract extract --workers 1 "$DOCS")
per_doc=$(( (full - first) / (N_DOCS - 1) ))

LINES="$WORK/rows.jsonl"
python3 - "$ROWS" "$LINES" <<'PY'
import sys
rows = [l for l in open(sys.argv[1]) if l.strip()]
with open(sys.argv[2], "w") as out:
    for i in range(2000): out.write(rows[i % len(rows)])
PY
none=$(count predict-empty predict --model-file "$MODEL" /dev/null)
many=$(count predict predict --model-file "$MODEL" "$LINES")
per_row=$(( (many - none) / 2000 ))

# 3. The server, against fake-mwapi (run natively, not counted).
[ -x .build/release/fake-mwapi ] || swift build -c release -Xswiftc -enable-testing --product fake-mwapi >/dev/null
SERVER_DOCS=Fixtures/sample-revisions.jsonl
SERVER_MODEL=Fixtures/models/enwiki.goodfaith.gradient_boosting.small.model
API_PORT=18201 PORT=18202
.build/release/fake-mwapi "$SERVER_DOCS" "$API_PORT" >/dev/null 2>&1 & PIDS+=($!)
LD_PRELOAD="$SHIM" OPENBLAS_NUM_THREADS=1 valgrind --tool=callgrind --callgrind-out-file="$WORK/serve.out" "$WORK/score-cli" serve \
  --model-file "$SERVER_MODEL" --name enwiki-goodfaith --port "$PORT" --api "http://127.0.0.1:$API_PORT/w/api.php" \
  >/dev/null 2>"$WORK/serve.stderr" & SERVER=$!; PIDS+=($SERVER)
for _ in $(seq 480); do curl -sf "http://127.0.0.1:$PORT/v1/models/enwiki-goodfaith" >/dev/null 2>&1 && break; sleep 0.25; done
requests() {  # N keep-alive Lift Wing requests, cycling over the documents' rev ids
  python3 - "$PORT" "$1" "$SERVER_DOCS" <<'PY'
import http.client, json, sys
port, n, docs = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
ids = [json.loads(l)["rev_id"] for l in open(docs) if l.strip()]
c = http.client.HTTPConnection("127.0.0.1", port)
for i in range(n):
    c.request("POST", "/v1/models/enwiki-goodfaith:predict", body=json.dumps({"rev_id": ids[i % len(ids)]}),
              headers={"Content-Type": "application/json"})
    r = c.getresponse(); body = r.read()
    if r.status != 200: sys.exit(f"status {r.status}: {body!r}")
PY
}
requests 20
callgrind_control -z "$SERVER" >/dev/null
requests 200; callgrind_control -d "$SERVER" >/dev/null
requests 200; callgrind_control -d "$SERVER" >/dev/null
kill -TERM "$SERVER"; wait "$SERVER" || true
window() { sed -n 's/^summary: //p' "$WORK/serve.out.$1"; }
w1=$(window 1); w2=$(window 2)
per_request=$(( (w1 + w2) / 400 ))

fmt() { python3 -c "print(f'{$1:,}')"; }
echo "Binary \`$BIN\` ($(git rev-parse --short HEAD)$(git diff --quiet HEAD -- Sources || echo ', with uncommitted changes')), $(valgrind --version)."
echo
echo "| work | instructions | measured as |"
echo "|---|---|---|"
echo "| feature extraction, per revision | $(fmt "$per_doc") | \`score-cli extract --workers 1\` over the $N_DOCS documents of \`$DOCS\`, minus a run over the first, per other document |"
echo "| single-row scoring, per row | $(fmt "$per_row") | \`score-cli predict\` of 2000 lines of \`$ROWS\` (JSON in and out included), minus none; model \`$MODEL\` |"
echo "| model server, per request | $(fmt "$per_request") | \`score-cli serve\`: two windows of 200 Lift Wing requests ($(fmt $((w1 / 200))) and $(fmt $((w2 / 200))) per request), small pages, fixture model |"
echo
echo "Feature extraction: the $TOP functions with the most instructions of their own (whole run, start-up included; $(fmt "$full") in all):"
echo
top "$WORK/extract.out" "$full"
echo
echo "Model server: the $TOP functions with the most instructions of their own (second window, 200 requests):"
echo
top "$WORK/serve.out.2" "$w2"
