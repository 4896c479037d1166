#!/usr/bin/env python3
"""Write Fixtures/edge-revisions.jsonl: small revisions that pin down string semantics the
corpus rarely exercises (run with plain python3; then make the reference values with
    ../shared/reference/run.sh extract.py Fixtures/edge-revisions.jsonl Fixtures/edge-features.jsonl).

- canonically equivalent but different strings (precomposed é vs e + U+0301): Python's dict
  keeps them apart, Swift's String == does not;
- capital sigma at a word end (str.lower() gives final sigma), Turkish dotted I (lowercases to
  two code points), astral code points in words and word-list matches;
- badwords/informals inside other words, across hyphens and at text edges;
- a free external link whose scheme follows a combining mark;
- a very long word-list match.
"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))

BASE = {
    "page_id": 950, "page_title": "Edge cases", "namespace": 0, "timestamp": "2020-01-02T03:04:05Z",
    "comment": "edge", "user_id": 0, "user_text": "192.0.2.1", "user_groups": [],
    "user_registration": None,
}

CASES = [
    ("Caf\u00e9 caf\u00e9 na\u00efve r\u00e9sum\u00e9 CAF\u00c9.",
     "Cafe\u0301 cafe\u0301 nai\u0308ve re\u0301sume\u0301 CAFE\u0301 caf\u00e9."),
    ("\u039f\u0394\u03a5\u03a3\u03a3\u0395\u03a5\u03a3 \u03a3\u039f\u03a6\u039f\u03a3 \u0130STANBUL \u0130stanbul istanbul",
     "\u039f\u0394\u03a5\u03a3\u03a3\u0395\u03a5\u03a3 \u03c3\u03bf\u03c6\u03bf\u03c2 ISTANBUL"),
    ("fuck-face Shit!shit poopy-head LOL lol\U0001d400 hahaha \U0001F600 yolo'd",
     "shit fuck-face \U0001d400bc hahahaha"),
    ("stupidshit assholes a-hole dumbass w00t haha\nha\n", ""),
    # A free link right after a combining mark: mwparserfromhell walks code points back from
    # "http" and stops at U+0301 (not a word character), so this is an external link.
    # One 20,000-code-point informal ("hahaha…"): a recursive backtracker runs out of stack.
    ("lol " + "ha" * 10000 + " end", "ha" * 9000),
    ("Visit e\u0301http://example.com/x and \u00e9http://example.org ''[[Foo]]''", "Visit http://example.com/x"),
]


def main():
    with open(os.path.join(HERE, "edge-revisions.jsonl"), "w", encoding="utf-8") as out:
        for k, (text, parent) in enumerate(CASES):
            doc = dict(BASE, rev_id=9500001 + k, parent_id=9500101 + k if parent else 0,
                       text=text, parent_text=parent if parent else None)
            out.write(json.dumps(doc, ensure_ascii=True) + "\n")


if __name__ == "__main__":
    main()
