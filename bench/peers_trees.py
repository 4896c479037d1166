#!/usr/bin/env python3
"""Tree-scoring peers on one model, one thread each (.venv-bench, see bench/trees.sh).

    .venv-bench/bin/python bench/peers_trees.py EXPORTED.pkl ROWS.jsonl OURS.jsonl

EXPORTED.pkl comes from bench/export_estimator.py (the model's sklearn estimator and scaler),
ROWS.jsonl are raw feature rows (every timed call scales them as revscoring does, then
predicts: the work ours does), OURS.jsonl our probabilities of "true" for the same rows
(`score-cli predict`), to report each peer's max |Δp| against ours. Peers: scikit-learn
predict_proba, ONNX Runtime (skl2onnx; float32 trees as ONNX defines them), treelite compiled
with tl2cgen (gcc -O3), and the same trees loaded into daal4py (oneDAL), LightGBM and XGBoost. Prints JSON lines: {"peer", "single_row_us", "batch": {n: rows/s},
"max_abs_diff"}.
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


def measure(name, proba, X, ours):
    """proba(matrix) -> probability of the last class (True) for each row.

    Single row: the median call (score-cli bench reports its p50). Batches: the fastest call,
    as score-cli bench reports its own: on shared cores a neighbour's burst only ever adds
    time, and taking the fastest of many calls on both sides keeps it out of the ratio."""
    single = timeit(lambda: proba(X[:1]), statistics.median)
    batch = {}
    for n in BATCHES:
        M = np.ascontiguousarray(np.resize(X, (n, X.shape[1])))
        batch[str(n)] = n / timeit(lambda: proba(M), min)
    diff = float(np.max(np.abs(proba(X) - ours)))
    print(json.dumps({"peer": name, "single_row_us": single * 1e6, "batch": batch, "max_abs_diff": diff}), flush=True)


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


def main(exported, rows_path, ours_path):
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


if __name__ == "__main__":
    main(*sys.argv[1:])
