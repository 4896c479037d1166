#!/usr/bin/env python3
"""Check a score_revisions.py Parquet output against `score-cli batch` JSON lines.

    compare_with_batch.py SCORES.parquet BATCH.jsonl MODEL_NAME

Every batch line must have exactly one Parquet row with the same rev_id, model, prediction,
probability of "true" (bit for bit) and error; prints a summary and exits 1 on any difference.
"""
import json
import sys

import pyarrow.parquet as pq


def main(parquet_path, batch_path, model_name):
    rows = pq.read_table(parquet_path).to_pylist()
    expected = [json.loads(line) for line in open(batch_path, encoding="utf-8") if line.strip()]
    by_id = {}
    for row in rows:
        by_id.setdefault(row["rev_id"], []).append(row)
    differences = 0
    for line in expected:
        got = by_id.get(line.get("rev_id"), [])
        score = line.get("score") or {}
        want = {"rev_id": line.get("rev_id"), "model": model_name,
                "prediction": None if "prediction" not in score else json.dumps(score["prediction"]).strip('"'),
                "probability_true": (score.get("probability") or {}).get("true"), "error": line.get("error")}
        if len(got) != 1 or {k: got[0].get(k) for k in want} != want:
            differences += 1
            if differences <= 5:
                print("DIFF", want, got, file=sys.stderr)
    extra = len(rows) - len(expected)
    print("spark rows {0}, batch lines {1}, differences {2}, extra rows {3}".format(
        len(rows), len(expected), differences, extra))
    sys.exit(1 if differences or extra else 0)


if __name__ == "__main__":
    main(*sys.argv[1:])
