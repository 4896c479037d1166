#!/usr/bin/env bash
# Model scoring side by side with the peers users would pick instead (issue #7, parts 1-2),
# one thread each, on this machine, in one run:
#   - the shared goodfaith gradient boosting model (../shared/models) on Fixtures/rows.jsonl,
#   - a synthetic 700-tree, depth-7, 80-feature model (bench/make_synthetic_model.py).
# Ours: `score-cli bench --rows` (batches 1/32/1k/100k; single row p50 in rounds alternating
# with the peers' single rows, see peers_trees.py single_row_rounds). Peers
# (bench/peers_trees.py, in .venv-bench): scikit-learn predict_proba, ONNX Runtime via
# skl2onnx, treelite + tl2cgen, and the same trees loaded into daal4py (oneDAL), LightGBM and
# XGBoost (bench/peer_conversions.py); for the shared logistic regression model (bench/peers_linear.py),
# scikit-learn and numpy + BLAS by hand. Every timed call scales the raw rows first, as ours
# does. Each peer's probabilities are compared with ours (max |Δp|).
# Prints one markdown table per model (bench/tree_table.py). Needs ../shared and the
# reference venv (bash ../shared/reference/setup.sh .venv-reference) for the model files.
set -euo pipefail
cd "$(dirname "$0")/.."
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
DATA="${BENCH_DATA:-.build-bench-data}"
mkdir -p "$DATA"
[ -x .venv-bench/bin/python ] || python3 -m venv .venv-bench
# scikit-learn-intelex brings daal4py (oneDAL); the standalone daal4py wheel does not import
# with scikit-learn 1.7.
.venv-bench/bin/python -c "import sklearn, onnxruntime, skl2onnx, treelite, tl2cgen, lightgbm, xgboost, daal4py" 2>/dev/null ||
  .venv-bench/bin/pip install -q --disable-pip-version-check scikit-learn==1.7.1 numpy==1.26.4 onnxruntime skl2onnx \
    treelite tl2cgen lightgbm xgboost scikit-learn-intelex
swift build -c release -Xswiftc -enable-testing --product score-cli >/dev/null 2>&1
CLI=.build/release/score-cli
if [ ! -f "$DATA/synthetic.gradient_boosting.model" ]; then
  ../shared/reference/run.sh bench/make_synthetic_model.py "$DATA/synthetic.gradient_boosting.model" "$DATA/synthetic-rows.jsonl"
fi
run() {  # name model rows [peer script]
  local name=$1 model=$2 rows=$3 peers=${4:-bench/peers_trees.py}
  ../shared/reference/run.sh bench/export_estimator.py "$model" "$DATA/$name.pkl"
  "$CLI" predict --model-file "$model" "$rows" > "$DATA/$name-ours.jsonl"
  "$CLI" bench "$model" --rows "$rows" --json > "$DATA/$name-ours-bench.json"
  # Single rows: ours and each peer in alternating rounds (peers_trees.py single_row_rounds).
  .venv-bench/bin/python "$peers" "$DATA/$name.pkl" "$rows" "$DATA/$name-ours.jsonl" \
    "$CLI" bench "$model" --rows "$rows" --single-row-only --json 2>/dev/null \
    | grep '^{' > "$DATA/$name-peers.jsonl"
  echo "### $name ($(basename "$model"))"
  python3 bench/tree_table.py "$DATA/$name-ours-bench.json" "$DATA/$name-peers.jsonl"
  echo
}
run shared ../shared/models/enwiki.goodfaith.gradient_boosting.model Fixtures/rows.jsonl
run synthetic "$DATA/synthetic.gradient_boosting.model" "$DATA/synthetic-rows.jsonl"
run linear ../shared/models/enwiki.goodfaith.logistic_regression.model Fixtures/rows.jsonl bench/peers_linear.py
