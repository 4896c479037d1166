#!/usr/bin/env bash
# Feature extraction side by side (issues #4 and #7, part 3): the reference revscoring
# (../shared/reference, extract.py, one worker) and ours (score-cli extract --workers 1), one
# process each, one after the other, same input; the outputs must be byte-identical.
#
#   bench/extraction.sh [DOCUMENTS.jsonl] [ROUNDS]
#
# Ours runs ROUNDS times (best user-CPU time kept: this machine shares its cores, and the
# slowest rounds measure the neighbours); the reference, ~3 minutes on the corpus, runs once.
# Prints a markdown table. Needs the reference venv (bash ../shared/reference/setup.sh .venv-reference).
set -euo pipefail
cd "$(dirname "$0")/.."
DOCS="${1:-../shared/corpus/enwiki-revisions.jsonl}"
ROUNDS="${2:-3}"
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
swift build -c release -Xswiftc -enable-testing --product score-cli >/dev/null 2>&1
N=$(grep -c . "$DOCS")
timed() {  # out-file command... → "wall user"
  local out=$1; shift
  /usr/bin/time -f "%e %U" -o "$OUT/time" "$@" > "$out" 2>/dev/null
  cat "$OUT/time"
}
REF=$(timed "$OUT/ref.jsonl" taskset -c 0 ../shared/reference/run.sh extract.py "$DOCS" -)
best=""
for _ in $(seq "$ROUNDS"); do
  t=$(timed "$OUT/ours.jsonl" taskset -c 0 .build/release/score-cli extract --workers 1 "$DOCS")
  if [ -z "$best" ] || awk -v a="${t#* }" -v b="${best#* }" 'BEGIN{exit !(a < b)}'; then best=$t; fi
done
cmp -s "$OUT/ref.jsonl" "$OUT/ours.jsonl" && SAME="byte-identical" || SAME="DIFFERENT (see score-cli extract --compare)"
python3 - "$DOCS" "$N" "$REF" "$best" "$SAME" "$ROUNDS" <<'PY'
import sys
docs, n, ref, ours, same, rounds = sys.argv[1], int(sys.argv[2]), sys.argv[3].split(), sys.argv[4].split(), sys.argv[5], sys.argv[6]
rw, ru = map(float, ref)
ow, ou = map(float, ours)
print(f"`{docs}`: {n} revisions, one core each (`taskset -c 0`), outputs {same}.\n")
print("| extractor | wall | user CPU | per revision (CPU) | ratio (CPU) |")
print("|---|---|---|---|---|")
print(f"| reference: revscoring 2.11.13 + editquality (`extract.py`, 1 worker) | {rw:.1f} s | {ru:.1f} s | {1000 * ru / n:.1f} ms | 1× |")
print(f"| **revscoring-swift** (`score-cli extract --workers 1`, best of {rounds}) | {ow:.2f} s | {ou:.2f} s | {1000 * ou / n:.2f} ms | **{ru / ou:.1f}×** |")
PY
