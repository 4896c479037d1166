#!/usr/bin/env python3
"""Markdown table of one model's tree-scoring figures: ours (score-cli bench --json) and the
peers (bench/peers_trees.py JSON lines), with each peer's ratio to ours.

    python3 bench/tree_table.py OURS.json PEERS.jsonl
"""
import json
import sys


def main(ours_path, peers_path):
    ours = json.load(open(ours_path))
    peers = [json.loads(l) for l in open(peers_path) if l.strip()]
    sizes = list(ours["batch_rows_per_second"].keys())
    print("| engine | single row (µs) | " + " | ".join("batch %s (rows/s)" % s for s in sizes) + " | max \\|Δp\\| vs ours |")
    print("|---|---|" + "---|" * len(sizes) + "---|")
    single = ours["single_row_us"]["p50"]
    print("| **revscoring-swift** (`score-cli bench`, p50) | **%.1f** | " % single
          + " | ".join("**%.0f**" % ours["batch_rows_per_second"][s] for s in sizes) + " | – |")
    for p in peers:
        if "error" in p:
            print("| %s | failed: %s | " % (p["peer"], p["error"][:80]) + " | " * len(sizes) + " |")
            continue
        cells = []
        for s in sizes:
            rate = p["batch"].get(s)
            cells.append("%.0f (ours %.1f×)" % (rate, ours["batch_rows_per_second"][s] / rate) if rate else "–")
        print("| %s | %.1f (ours %.1f×) | " % (p["peer"], p["single_row_us"], p["single_row_us"] / single)
              + " | ".join(cells) + " | %.1e |" % p["max_abs_diff"])


if __name__ == "__main__":
    main(*sys.argv[1:])
