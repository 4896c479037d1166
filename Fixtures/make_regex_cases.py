#!/usr/bin/env python3
"""Expected `re.finditer` results for the regex engine tests (run with the reference stack).

    ../shared/reference/run.sh Fixtures/make_regex_cases.py > Fixtures/regex-cases.jsonl

First line: the long named patterns. Then each line: pattern (or pattern_name), ignore_case, text, and matches as [[start, end], [group spans...]] in code
points. Includes revscoring's English badword/informal patterns wrapped as revscoring wraps
them, editquality's comment patterns, and seeded random texts built from their fragments.
"""
import json
import random
import re

from revscoring.languages import english

BAD = r"(\b)(" + "|".join(english.badword_regexes) + r")(\b)"
INFORMAL = r"(\b)(" + "|".join(english.informal_regexes) + r")(\b)"

SIMPLE = [
    (r"a+b", False, "aaab ab b aab"), (r"a+?b", False, "aaab"), (r"(a|ab)(c|bcd)(d*)", False, "abcd"),
    (r"x*", False, "axxb"), (r"\bfoo\b", False, "foo foobar _foo foo_ (foo)"), (r"\Bo\B", False, "foo bob"),
    (r"^ab", False, "ab ab"), (r"ab$", False, "ab ab\n"), (r"ab$", False, "ab ab\n\n"), (r"a.c", False, "abc a\nc"),
    (r"[a-c]+", True, "ABCabcDdC"), (r"[^a-c]+", True, "xyzABC"), (r"s", True, "S s \u017f \u0130 \u0131"),
    (r"i", True, "I i \u0130 \u0131 \u0069\u0307"), (r"k", True, "K k \u212a"), (r"\u00b5", True, "\u00b5 \u03bc \u039c"),
    (r"[\w']+", False, "don't \u00e9t\u00e9 x_y 12"), (r"\d+", False, "12 \u0663\u0664 \u00b2"),
    (r"\s+", False, "a \t\n\x1c\u3000b"), (r"\W+", False, "ab, cd!"), (r"a{2,3}", False, "aaaa a aa"),
    (r"a{,2}b", False, "aaab"), (r"a{2}", False, "aaaaa"), (r"a??", False, "aab"), (r"(a|)+b", False, "aab"), (r"x{", False, "x{ y"), (r"a(?=b)", False, "ab ac"),
    (r"a(?!b)", False, "ab ac"), (r"(?:ab)+", False, "ababab"), (r"(a*)*b", False, "aaab"), (r"(a|b)*c", False, "abababc"),
    (r"^/\* [^\n]+ \*/", True, "/* Section */ fix"), (r"^/\* [^\n]+ \*/", True, "x /* S */"),
    (r".*\[\[[^\]]+\]\].*", True, "see [[Foo]] and"), (r".*\[\[[^\]]+\]\].*", True, "line\n[[Foo]]"),
    (r".*\[\[[^\]]+\]\].*", True, "[[]] [[a\nb]]"), (r"ref", True, "REF references Ref"), (r"\x41\u00e9", False, "A\u00e9"),
    (r"[-_ ]?x", False, "-x _x  x"), (r"[]a]+", False, "a]]a"), (r"[a-]+", False, "a--a"), (r"\.", False, "a.b"),
    (r"(?P<n>ab)c", False, "abc"), (r"(?i)ab", False, "AB"), (r"\Aab", False, "ab ab"), (r"ab\Z", False, "ab ab"),
    (r"\u03c3", True, "\u03a3 \u03c2 \u03c3"),
]

FRAGMENTS = ["ass", "arse", "butt", "fuck", "shit", "gay", "lol", "haha", "hahaha", "bitch", "dick", "nigga",
             "cool", "kewl", "crap", "ain't", "don't", "yo", "you're", "omg", "wtf", "sooo", "dude", "yay",
             "Assess", "class", "hello", "HELLO", "pass", "cocktail", "Scunthorpe", "\u017fhit", "FUCKING",
             "mwahaha", "hehe", "hmm", "lmao", "rofl", "stupid", "stoopid", "test edit", "test   edit", "y'all"]
SEPARATORS = [" ", "  ", "\n", ", ", ".", "-", "_", "'", "\u2019", "", "!", "123", "\u00e9", "\u0130", "(", "]]", "|"]


def spans(m):
    return [[m.start(), m.end()], [[m.start(g), m.end(g)] for g in range(1, (m.re.groups or 0) + 1)]]


NAMED = {"badwords": BAD, "informals": INFORMAL}


def emit(pattern, ignore_case, text, name=None):
    r = re.compile(pattern, re.I if ignore_case else 0)
    line = {"pattern_name": name} if name else {"pattern": pattern}
    line.update({"ignore_case": ignore_case, "text": text, "matches": [spans(m) for m in r.finditer(text)]})
    print(json.dumps(line, ensure_ascii=False))


def main():
    print(json.dumps({"patterns": NAMED}, ensure_ascii=False))
    for pattern, ic, text in SIMPLE:
        emit(pattern, ic, text)
    rng = random.Random(20261125)
    for n in range(120):
        text = "".join(rng.choice(FRAGMENTS) + rng.choice(SEPARATORS) for _ in range(rng.randint(1, 12)))
        name = "badwords" if n % 2 == 0 else "informals"
        emit(NAMED[name], True, text, name)


if __name__ == "__main__":
    main()
