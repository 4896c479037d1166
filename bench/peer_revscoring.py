#!/usr/bin/env python3
"""Peer timings for BENCHMARKS.md: revscoring's Model.score (one row) and, on batches, the
scaler + the scikit-learn estimator's predict and predict_proba (what revscoring's score_many
does), for the same model file and rows as the Swift benchmark.

    ../shared/reference/run.sh bench/peer_revscoring.py MODEL [ROWS.jsonl]

Prints one line per measurement: name, median seconds per call, rows per second. One thread
(OPENBLAS_NUM_THREADS=1 is set before numpy loads).
"""
import json
import os
import sys

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import numpy as np  # noqa: E402
from revscoring import Model  # noqa: E402


sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peers_trees import timeit as _timeit  # noqa: E402


def timeit(fn):
    return _timeit(fn, min_seconds=2.0)


def main():
    model_path = sys.argv[1]
    rows_path = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), "..", "Fixtures", "rows.jsonl")
    with open(model_path, "rb") as f:
        model = Model.load(f)
    rows = [json.loads(l)["features"] for l in open(rows_path) if l.strip()]
    name = os.path.basename(model_path)
    i = [0]

    def one():
        model.score(rows[i[0] % len(rows)])
        i[0] += 1
    t = timeit(one)
    print("revscoring Model.score single row: %s: %.1f us/row, %.0f rows/s" % (name, t * 1e6, 1 / t))
    X = np.array([[float(v) for v in r] for r in rows])
    for n in (32, 1000, 100000):
        # The same work as the Swift batch path: scale (RobustScaler.transform), then predict
        # and predict_proba (revscoring's score_many computes both).
        batch = np.resize(X, (n, X.shape[1]))

        def run():
            scaled = model.scaler.transform(batch)
            model.estimator.predict(scaled)
            model.estimator.predict_proba(scaled)
        t = timeit(run)
        print("scikit-learn scale + predict + predict_proba, batch %d: %s: %.3f ms/batch, %.0f rows/s" % (n, name, t * 1e3, n / t))


if __name__ == "__main__":
    main()
