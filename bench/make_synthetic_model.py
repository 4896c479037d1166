#!/usr/bin/env python3
"""A synthetic 700-tree, depth-7, 80-feature gradient boosting model as a revscoring model file
(reference venv), for the tree-scoring benchmark, plus rows to score.

    ../shared/reference/run.sh bench/make_synthetic_model.py OUT.model OUT-rows.jsonl

Trained on fixed-seed random data with a nonlinear label, so that trees use their full depth.
"""
import json
import sys

import numpy as np
from revscoring.features import Feature
from revscoring.scoring.models import GradientBoosting


def main(model_path, rows_path):
    rng = np.random.RandomState(0)
    X = rng.normal(size=(20000, 80))
    y = (np.sin(X[:, 0] * 2) + X[:, 1] * X[:, 2] - np.abs(X[:, 3]) + 0.3 * rng.normal(size=20000)) > 0
    features = [Feature("synthetic.f{0}".format(i), returns=float) for i in range(80)]
    model = GradientBoosting(features, labels=[True, False], n_estimators=700, max_depth=7, learning_rate=0.05,
                             random_state=0, version="bench-synthetic")
    model.train([(list(map(float, x)), bool(label)) for x, label in zip(X, y)])
    with open(model_path, "wb") as f:
        model.dump(f)
    with open(rows_path, "w") as f:
        for x in rng.normal(size=(1000, 80)):
            f.write(json.dumps({"features": [float(v) for v in x]}) + "\n")


if __name__ == "__main__":
    main(*sys.argv[1:])
