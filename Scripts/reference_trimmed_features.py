#!/usr/bin/env python3
"""Reference values of a feature list *trimmed* of modifiers (Lift Wing's extended_output).

    ../shared/reference/run.sh Scripts/reference_trimmed_features.py IN.jsonl OUT.jsonl

Lift Wing answers `extended_output: true` with `revscoring.features.trim(model.features)`:
log/div/sub/max wrappers removed, each bare feature once, in trim's depth-first order. This
writes `{"rev_id": N, "features": {name: value, ...}}` per revision document (or
`{"rev_id": N, "error": "..."}`), with extract.py's root injection, so that the Swift port's
`--features` output can be compared value for value and type for type.
"""
import json
import os
import sys

REFERENCE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "reference")
sys.path.insert(0, os.environ.get("REFERENCE_DIR", REFERENCE))
import extract  # noqa: E402
from revscoring.dependencies import solve  # noqa: E402
from revscoring.features import trim  # noqa: E402


def main(path_in, path_out):
    features = list(trim(extract.load_feature_list(extract.DEFAULT_FEATURE_LIST)))
    with open(path_in, encoding="utf-8") as f, open(path_out, "w", encoding="utf-8") as out:
        for line in f:
            if not line.strip():
                continue
            doc = json.loads(line)
            try:
                values = solve(features, cache=extract.inject_roots(doc))
                row = {"rev_id": doc["rev_id"],
                       "features": {str(k): extract.to_json_value(v) for k, v in zip(features, values)}}
            except Exception as e:
                row = {"rev_id": doc["rev_id"], "error": "{0}: {1}".format(type(e).__name__, e)}
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
