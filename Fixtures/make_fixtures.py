#!/usr/bin/env python3
"""Make the project's own fixture models and expected scores (run with the reference stack).

    ../shared/reference/run.sh extract.py Fixtures/sample-revisions.jsonl Fixtures/sample-features.jsonl
    ../shared/reference/run.sh Fixtures/make_fixtures.py

Trains small revscoring models on the shared corpus features (labels from the corpus), so
that tests and the README's first command have real model files that do not depend on
../shared, including estimator shapes the shared models lack (multi-class, init='zero',
one-vs-rest, SVCs, naive Bayes). Rows longer than a model's feature list are cut to it. Writes Fixtures/rows.jsonl (the sample rows plus seeded synthetic rows) and
Fixtures/expected-scores.jsonl (revscoring's Model.load + model.score on each row).
Seeds are fixed; a re-run gives the same trees and scores (only training timestamps differ).
"""
import json
import os
import random

from editquality.feature_lists import enwiki
from revscoring import Model
from revscoring.scoring.models import (BernoulliNB, GaussianNB, GradientBoosting, LinearSVC,
                                       LogisticRegression, MultinomialNB, RandomForest, RBFSVC, SVC)

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.join(HERE, "..", "..", "shared")


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def main():
    docs = {d["rev_id"]: d for d in read_jsonl(os.path.join(SHARED, "corpus", "enwiki-revisions.jsonl"))}
    rows = [r for r in read_jsonl(os.path.join(SHARED, "goldens", "enwiki-goodfaith-features.jsonl")) if "features" in r]

    def size_class(doc):
        delta = len(doc["text"]) - len(doc["parent_text"])
        return "shrink" if delta < 0 else "tweak" if delta < 200 else "grow"

    goodfaith = [(r["features"], not docs[r["rev_id"]]["reverted"]) for r in rows]
    sizes = [(r["features"], size_class(docs[r["rev_id"]])) for r in rows]
    features = list(enwiki.goodfaith)
    size_labels = ["shrink", "tweak", "grow"]
    gf = dict(labels=[True, False], center=True, scale=True, version="0.1.0-fixture")
    sz = dict(labels=size_labels, center=True, scale=True, version="0.1.0-fixture")
    specs = [
        ("enwiki.goodfaith.gradient_boosting.small.model", GradientBoosting, goodfaith,
         dict(gf, label_weights={False: 10}, n_estimators=60, max_depth=4, learning_rate=0.1,
              max_features="log2", random_state=0)),
        ("zero_init.gradient_boosting.model", GradientBoosting, goodfaith,
         dict(gf, init="zero", n_estimators=25, max_depth=3, learning_rate=0.2, random_state=0)),
        ("size_class.gradient_boosting.model", GradientBoosting, sizes,
         dict(sz, n_estimators=30, max_depth=3, learning_rate=0.1, max_features="log2", random_state=0)),
        ("size_class.random_forest.model", RandomForest, sizes,
         dict(sz, n_estimators=25, min_samples_leaf=3, max_features="log2", random_state=0)),
        ("size_class.logistic_regression.model", LogisticRegression, sizes, dict(sz, max_iter=2000)),
        ("size_class_ovr.logistic_regression.model", LogisticRegression, sizes,
         dict(sz, multi_class="ovr", max_iter=2000)),
        ("enwiki.goodfaith.linear_svc.model", LinearSVC, goodfaith, dict(gf, random_state=0)),
        ("enwiki.goodfaith.rbf_svc.model", RBFSVC, goodfaith, dict(gf, random_state=0)),
        ("size_class.poly_svc.model", SVC, sizes, dict(sz, kernel="poly", degree=2, random_state=0)),
        ("size_class.rbf_svc.model", RBFSVC, sizes, dict(sz, random_state=0)),
        ("enwiki.goodfaith.gaussian_nb.model", GaussianNB, goodfaith, gf),
        ("size_class.gaussian_nb.model", GaussianNB, sizes, sz),
        ("size_class.bernoulli_nb.model", BernoulliNB, sizes, sz),
        # MultinomialNB needs non-negative inputs: the first 16 features (flags, log counts,
        # ratios), unscaled.
        ("size_class.multinomial_nb.model", MultinomialNB, sizes,
         dict(sz, center=False, scale=False), 16),
    ]
    os.makedirs(os.path.join(HERE, "models"), exist_ok=True)
    for name, cls, labelled, params, *n in specs:
        n = n[0] if n else len(features)
        labelled = [(fv[:n], label) for fv, label in labelled]
        model = cls(features[:n], **params)
        model.cross_validate(labelled, folds=3, processes=1)
        model.train(labelled)
        with open(os.path.join(HERE, "models", name), "wb") as f:
            model.dump(f)

    # Rows: the hand-written sample revisions' features, then seeded variations of them
    # (scaled, sign-flipped, zeroed, extreme) so that many tree paths and both sides of the
    # linear decision boundary are exercised.
    sample = read_jsonl(os.path.join(HERE, "sample-features.jsonl"))
    rng = random.Random(20261125)
    out_rows = [{"name": "sample-%d" % r["rev_id"], "features": r["features"]} for r in sample]
    for i in range(60):
        base = rng.choice(sample)["features"]
        values = []
        for v in base:
            if isinstance(v, bool):
                values.append(rng.random() < 0.5)
            else:
                x = v * rng.choice([0, 0.5, 1, 2, 10, -1]) + rng.choice([0, 0, 1, -3, 250])
                values.append(int(x) if isinstance(v, int) else float(x))
        out_rows.append({"name": "synthetic-%d" % i, "features": values})
    with open(os.path.join(HERE, "rows.jsonl"), "w") as f:
        for r in out_rows:
            f.write(json.dumps(r) + "\n")

    with open(os.path.join(HERE, "expected-scores.jsonl"), "w") as f:
        for name, *_ in specs:
            with open(os.path.join(HERE, "models", name), "rb") as mf:
                model = Model.load(mf)
            for r in out_rows:
                s = model.score(r["features"][:len(model.features)])
                f.write(json.dumps({"model": name, "row": r["name"], "prediction": s["prediction"],
                                    "probability": {str(k).lower() if isinstance(k, bool) else str(k): v
                                                    for k, v in s["probability"].items()}}) + "\n")


if __name__ == "__main__":
    main()
