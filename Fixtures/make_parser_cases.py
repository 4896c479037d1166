#!/usr/bin/env python3
"""Expected mwparserfromhell node counts for seeded random wikitext (run with the reference stack).

    ../shared/reference/run.sh Fixtures/make_parser_cases.py > Fixtures/parser-cases.jsonl

Each line: {"text", "counts": [headings, wikilinks, external_links, templates, tags, ref_tags]},
counted as revscoring does (recursive wikicode.filter(), tag names matching re "ref" with re.I).
"""
import json
import random
import re

import mwparserfromhell
from mwparserfromhell.nodes import ExternalLink, Heading, Tag, Template, Wikilink

FRAGMENTS = [
    "{{", "}}", "{{{", "}}}", "|", "=", "[[", "]]", "[", "]", "http://example.org/a", " ", "\n", "\n\n",
    "== H ==", "=", "''", "'''", "'''''", "<ref>", "</ref>", "<ref name=a/>", "<ref name=\"x y\">",
    "<br>", "</br>", "<div>", "</div>", "<nowiki>", "</nowiki>", "<!--", "-->", "&amp;", "&#65;", "&bogus;",
    "* ", "# ", "; ", ": ", "----", "{|", "|-", "|}", "!", "||", "!!", "word", "Title", "x=y", "mailto:a@b",
    "[http://x.org label]", "{{cite web|url=http://a.b|title=T}}", "[[File:X.jpg|thumb|cap]]", "<ref>{{c}}</ref>",
    "<references/>", "<Ref>", "<small>", "</small>", ":", "//", "\"", "'", "<", ">", "\t",
]


def counts(text):
    code = mwparserfromhell.parse(text)
    c = [0] * 6
    for node in code.filter():
        if isinstance(node, Heading):
            c[0] += 1
        elif isinstance(node, Wikilink):
            c[1] += 1
        elif isinstance(node, ExternalLink):
            c[2] += 1
        elif isinstance(node, Template):
            c[3] += 1
        elif isinstance(node, Tag):
            c[4] += 1
            if re.compile("ref", re.I).match(str(node.tag)):
                c[5] += 1
    return c


def main():
    rng = random.Random(20261125)
    for _ in range(400):
        text = "".join(rng.choice(FRAGMENTS) for _ in range(rng.randint(1, 30)))
        print(json.dumps({"text": text, "counts": counts(text)}, ensure_ascii=False))


if __name__ == "__main__":
    main()
