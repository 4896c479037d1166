#!/usr/bin/env python3
"""Markdown table of one model's tree-scoring figures: ours (score-cli bench --json) and the
peers (bench/peers_trees.py JSON lines), with each peer's ratio to ours.

    python3 bench/tree_table.py OURS.json PEERS.jsonl

Single row: peers_trees.py measures ours and each peer in rounds (single_row_rounds); the
figure is each engine's median round and the ratio the median of the per-round ratios, so
that the machine's drift between rounds does not enter a ratio.
"""
import json
import statistics
import sys


def main(ours_path, peers_path):
    ours = json.load(open(ours_path))
    lines = [json.loads(l) for l in open(peers_path) if l.strip()]
    # A peer's batch line and its single-row line, merged by name; ours is peer "ours".
    peers, order = {}, []
    for line in lines:
        if line["peer"] not in peers:
            peers[line["peer"]] = {}
            order.append(line["peer"])
        peers[line["peer"]].update(line)
    mine = peers.pop("ours", None)
    order = [name for name in order if name != "ours"]
    our_rounds = (mine or {}).get("single_row_rounds")
    single = mine["single_row_us"] if mine else ours["single_row_us"]["p50"]
    rounds = len(our_rounds) if our_rounds else 0
    sizes = list(ours["batch_rows_per_second"].keys())
    label = "single row (µs, median of %d rounds)" % rounds if rounds else "single row (µs)"
    print("| engine | %s | " % label + " | ".join("batch %s (rows/s)" % s for s in sizes) + " | max \\|Δp\\| vs ours |")
    print("|---|---|" + "---|" * len(sizes) + "---|")
    print("| **revscoring-swift** (`score-cli bench`, p50) | **%.1f** | " % single
          + " | ".join("**%.0f**" % ours["batch_rows_per_second"][s] for s in sizes) + " | – |")
    for name in order:
        p = peers[name]
        if "error" in p:
            print("| %s | failed: %s | " % (name, p["error"][:80]) + " | " * len(sizes) + " |")
            continue
        cells = []
        for s in sizes:
            rate = p.get("batch", {}).get(s)
            cells.append("%.0f (ours %.1f×)" % (rate, ours["batch_rows_per_second"][s] / rate) if rate else "–")
        theirs = p.get("single_row_rounds")
        if theirs and our_rounds and len(theirs) == len(our_rounds):
            ratio = statistics.median(t / o for t, o in zip(theirs, our_rounds))
        else:
            ratio = p["single_row_us"] / single if "single_row_us" in p else None
        first = "%.1f (ours %.1f×)" % (p["single_row_us"], ratio) if ratio else "–"
        print("| %s | %s | " % (name, first) + " | ".join(cells) + " | %.1e |" % p.get("max_abs_diff", float("nan")))


if __name__ == "__main__":
    main(*sys.argv[1:])
