#!/usr/bin/env bash
# Scoring benchmarks, ours and the peer (revscoring + scikit-learn), one after the other on
# this machine, one thread each. Needs ../shared (models) and the reference venv
# (bash ../shared/reference/setup.sh .venv-reference).
set -euo pipefail
cd "$(dirname "$0")/.."
export OPENBLAS_NUM_THREADS=1
echo "== revscoring-swift (ordo-one/benchmark, p50)"
(cd Benchmarks && swift package benchmark --format markdown 2>/dev/null | grep -E '^##|^\| Time' ) || (cd Benchmarks && swift package benchmark)
echo "== peer: revscoring 2.11.13 + scikit-learn 1.7.1"
for m in gradient_boosting random_forest logistic_regression; do
  ../shared/reference/run.sh bench/peer_revscoring.py "../shared/models/enwiki.goodfaith.$m.model" 2>/dev/null
done
