#!/usr/bin/env python3
"""Linear-model peers on one LogisticRegression model, one thread each (.venv-bench).

    .venv-bench/bin/python bench/peers_linear.py EXPORTED.pkl ROWS.jsonl OURS.jsonl [OURS_COMMAND...]

Peers: scikit-learn predict_proba, and numpy + OpenBLAS doing the same arithmetic by hand
(X·coefᵀ + intercept, then the logistic function); every timed call scales the raw rows as
revscoring does first, as ours does. Prints JSON lines as peers_trees.py does.
"""
import os
import sys

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peers_trees import load, measure, single_row_rounds  # noqa: E402


def main(exported, rows_path, ours_path, *ours_command):
    est, X, scaled, true_index, ours = load(exported, rows_path, ours_path)
    measure("scikit-learn %s predict_proba" % __import__("sklearn").__version__,
            scaled(lambda M: est.predict_proba(M)[:, true_index]), X, ours)
    coef, intercept = est.coef_[0].copy(), est.intercept_[0]
    sign = 1.0 if true_index == 1 else -1.0

    def by_hand(M):
        with np.errstate(over="ignore"):  # exp overflow is 1/(1+inf) = 0, as expit gives
            return 1.0 / (1.0 + np.exp(-sign * (M @ coef + intercept)))
    measure("numpy %s + BLAS (X·coef, expit)" % np.__version__, scaled(by_hand), X, ours)
    single_row_rounds(list(ours_command))


if __name__ == "__main__":
    main(*sys.argv[1:])
