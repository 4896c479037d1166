#!/usr/bin/env python3
"""Tree-scoring peers on one model, one thread each (.venv-bench, see bench/trees.sh).

    .venv-bench/bin/python bench/peers_trees.py EXPORTED.pkl ROWS.jsonl OURS.jsonl [OURS_COMMAND...]

EXPORTED.pkl comes from bench/export_estimator.py (the model's sklearn estimator and scaler),
ROWS.jsonl are raw feature rows (every timed call scales them as revscoring does, then
predicts: the work ours does), OURS.jsonl our probabilities of "true" for the same rows
(`score-cli predict`), to report each peer's max |Δp| against ours. Peers: scikit-learn
predict_proba, ONNX Runtime (skl2onnx; float32 trees as ONNX defines them), treelite compiled
with tl2cgen (gcc -O3), and the same trees loaded into daal4py (oneDAL), LightGBM and XGBoost. Prints JSON lines: {"peer", "batch": {n: rows/s}, "max_abs_diff"} per peer, then
the single-row rounds (single_row_rounds): OURS_COMMAND, when given, is our single-row
measurement (score-cli bench MODEL --rows ROWS --single-row-only --json), run in each round.
"""
import json
import os
import pickle
import statistics
import sys
import tempfile
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

BATCHES = (1, 32, 1000, 100000)


def timeit(fn, statistic, min_seconds=1.0):
    times = []
    start = time.perf_counter()
    while time.perf_counter() - start < min_seconds or len(times) < 5:
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistic(times)


SINGLE_ROW_ROUNDS = int(os.environ.get("SINGLE_ROW_ROUNDS", "5"))
_single_rows = []  # (name, proba, X) of each peer measured, for single_row_rounds


def measure(name, proba, X, ours):
    """proba(matrix) -> probability of the last class (True) for each row.

    Batches here: the fastest call, as score-cli bench reports its own: on shared cores a
    neighbour's burst only ever adds time, and taking the fastest of many calls on both sides
    keeps it out of the ratio. The single row is measured later, in rounds with ours
    (single_row_rounds)."""
    batch = {}
    for n in BATCHES:
        M = np.ascontiguousarray(np.resize(X, (n, X.shape[1])))
        batch[str(n)] = n / timeit(lambda: proba(M), min)
    diff = float(np.max(np.abs(proba(X) - ours)))
    _single_rows.append((name, proba, X))
    print(json.dumps({"peer": name, "batch": batch, "max_abs_diff": diff}), flush=True)


def single_row(proba, X):
    """The median single-row call over 1 s, rows cycling as score-cli bench cycles them (the
    same row every call would keep one path through the trees in cache)."""
    rows = [np.ascontiguousarray(X[i:i + 1]) for i in range(len(X))]
    i = 0

    def call():
        nonlocal i
        proba(rows[i % len(rows)])
        i += 1
    return timeit(call, statistics.median)


def single_row_rounds(ours_command):
    """Single-row latency of ours and of every peer, in SINGLE_ROW_ROUNDS rounds: each round
    runs ours (`ours_command`, score-cli bench --single-row-only --json) and then each peer for
    1 s. Wall-clock speed on shared cores drifts by tens of percent over minutes, so each ratio
    is taken within a round (measurements seconds apart) and the median round's is reported.
    Prints {"peer", "single_row_us", "single_row_rounds"} per engine, ours as peer "ours"."""
    import subprocess
    rounds = {name: [] for name, _, _ in _single_rows}
    rounds["ours"] = []
    for _ in range(SINGLE_ROW_ROUNDS):
        if ours_command:
            out = subprocess.run(ours_command, check=True, capture_output=True, text=True).stdout
            rounds["ours"].append(json.loads(out)["single_row_us"]["p50"] * 1e-6)
        for name, proba, X in _single_rows:
            rounds[name].append(single_row(proba, X))
    for name, times in rounds.items():
        if times:
            print(json.dumps({"peer": name, "single_row_us": statistics.median(times) * 1e6,
                              "single_row_rounds": [t * 1e6 for t in times]}), flush=True)


def load(exported, rows_path, ours_path):
    """The exported estimator, the raw rows, a wrapper that times scaling + predicting (the
    work revscoring and ours do), the index of the True class, and our probabilities."""
    with open(exported, "rb") as f:
        parts = pickle.load(f)
    est = parts["estimator"]
    X = np.array([json.loads(l)["features"] for l in open(rows_path) if l.strip()], dtype=np.float64)
    center, scale = parts["center"], parts["scale"]

    def scaled(predict):
        def run(M):
            if center is not None:
                M = M - center
            if scale is not None:
                M = M / scale
            return predict(M)
        return run
    ours = np.array([json.loads(l)["probability"]["true"] for l in open(ours_path) if l.strip()])
    return est, X, scaled, list(est.classes_).index(True), ours


def main(exported, rows_path, ours_path, *ours_command):
    est, X, scaled, true_index, ours = load(exported, rows_path, ours_path)

    measure("scikit-learn %s predict_proba" % __import__("sklearn").__version__,
            scaled(lambda M: est.predict_proba(M)[:, true_index]), X, ours)

    try:
        import onnxruntime as ort
        from skl2onnx import to_onnx
        onx = to_onnx(est, scaled(lambda M: M)(X[:1]).astype(np.float32), options={id(est): {"zipmap": False}}, target_opset={"": 17, "ai.onnx.ml": 3})
        so = ort.SessionOptions()
        so.intra_op_num_threads = 1
        so.inter_op_num_threads = 1
        session = ort.InferenceSession(onx.SerializeToString(), so, providers=["CPUExecutionProvider"])
        input_name = session.get_inputs()[0].name
        measure("ONNX Runtime %s (skl2onnx, float32)" % ort.__version__,
                scaled(lambda M: session.run(None, {input_name: M.astype(np.float32)})[1][:, true_index]), X, ours)
    except Exception as e:  # a peer that does not install or convert is reported, not fatal
        print(json.dumps({"peer": "ONNX Runtime", "error": repr(e)[:300]}), flush=True)

    try:
        import tl2cgen
        import treelite
        model = treelite.sklearn.import_model(est)
        libpath = os.path.join(tempfile.mkdtemp(), "model.so")
        tl2cgen.export_lib(model, toolchain="gcc", libpath=libpath, params={"parallel_comp": 8}, nthread=1)
        predictor = tl2cgen.Predictor(libpath, nthread=1)

        def tl_proba(M):
            # scikit-learn compares float32 inputs with the thresholds: so must the peer.
            out = np.asarray(predictor.predict(tl2cgen.DMatrix(M.astype(np.float32), dtype="float32")))
            out = out.reshape(M.shape[0], -1)
            return out[:, -1] if out.shape[1] > 1 else out[:, 0]
        measure("treelite %s + tl2cgen %s (gcc)" % (treelite.__version__, tl2cgen.__version__), scaled(tl_proba), X, ours)
    except Exception as e:
        print(json.dumps({"peer": "treelite", "error": repr(e)[:300]}), flush=True)

    # The same trees in engines that cannot import scikit-learn models (bench/peer_conversions.py).
    import peer_conversions
    from importlib.metadata import version
    for name, distribution, convert in (
        ("daal4py (oneDAL %s, float64)", "daal", peer_conversions.daal4py_model),
        ("LightGBM %s (float64)", "lightgbm", peer_conversions.lightgbm_model),
        ("XGBoost %s (inplace_predict, float32)", "xgboost", peer_conversions.xgboost_model),
    ):
        try:
            measure(name % version(distribution), scaled(convert(est)), X, ours)
        except Exception as e:
            print(json.dumps({"peer": name.split(" ")[0], "error": repr(e)[:300]}), flush=True)
    single_row_rounds(list(ours_command))


if __name__ == "__main__":
    main(*sys.argv[1:])
