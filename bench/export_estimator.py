#!/usr/bin/env python3
"""Export a revscoring model's scikit-learn parts for the peer benchmarks (reference venv).

    ../shared/reference/run.sh bench/export_estimator.py MODEL OUT.pkl

Writes a pickle of {"estimator": the sklearn estimator, "center": scaler center or None,
"scale": scaler scale or None}, loadable without revscoring by the same scikit-learn version,
so that peers installed elsewhere (ONNX Runtime, treelite) score exactly the model revscoring
scores.
"""
import pickle
import sys

from revscoring import Model


def main(model_path, out_path):
    with open(model_path, "rb") as f:
        model = Model.load(f)
    scaler = getattr(model, "scaler", None)
    center = getattr(scaler, "center_", None) if scaler is not None else None
    scale = getattr(scaler, "scale_", None) if scaler is not None else None
    with open(out_path, "wb") as out:
        pickle.dump({"estimator": model.estimator, "center": center, "scale": scale}, out)


if __name__ == "__main__":
    main(*sys.argv[1:])
