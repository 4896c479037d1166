#!/usr/bin/env python3
"""Expected wikitext_split tokens for hand-written edge cases (run with the reference stack).

    ../shared/reference/run.sh Fixtures/make_tokenizer_cases.py > Fixtures/tokenizer-cases.jsonl
"""
import json

from deltas import wikitext_split

CASES = [
    "", "a", "\n", "\r", "\r\n", "\n\n", "\n\r\n", "\n \t\n x", "\n\r\r\n\n", "a\n \n\n  b", "\n \r",
    "  \t x", "\u3000\u00a0x\u2028y\x1c", "\x85z",
    "http://example.org/a?b=c|d", "https://x", "https:// x", "//foo.bar", "ftps://a.b", "ircs://x", "irc://y",
    "mailto:me@x.org", "sips:abc", "sip:abc", "news:", "geo:1,2", "xhttp://a", "urn:isbn:1", "http://a<b>c{d}e",
    "===x==", "|}", "{|", "{{|", "{{{x}}}", "[[a|b]]", "[[[x]]]", "]]]", "&amp;", "&Amp;", "&a1b2;", "&;", "&x",
    "<ref>", "<ref name=\"x\">", "<ref name=x/>", "<ref/>", "<ref />", "<ref>x</ref>", "</ref>", "</ref x>", "<refs>",
    "<references/>", "<ref", "<ref\nname=a>", "<ref a/b>", "<ref a/ >",
    "<br>", "<br/>", "</div>", "<Div>", "<b2>", "<b_x>", "<a", "<!-- c -->", "-->", "--", "<!--",
    "123", "12abc", "abc12", "\u0663\u0664", "x\u00b2y", "\u00b2", "_foo", "__", "a_b",
    "'''b'''", "''i''", "'", "''''", "'''''", "don't", "dont'", "dont' x", "rock'n'roll", "o'", "l\u2019\u00e9t\u00e9", "a''b",
    "\u3001\u3002", "\u6f22\u5b57", "\u3042\u3044", "\u30ab\u30bf", "\uac00\ub098", "\u0928\u092e\u0938\u094d\u0924\u0947",
    "\u0645\u0631\u062d\u0628\u0627", "\u0995\u09be", "\u0964\u0965", "...", "?!", "!!!", ",,", "::", ";;", "()",
    "\U0001F600", "\U00020001", "x\u0301y", "\u00c9COLE", "\u03a3\u039f\u03a3", "caf\u00e9", "a\ufeffx", "\u200b",
    "a\tb", "\t\n", "x  \n\n\n  y", "end'", "end\u2019", "ab' cd",
]


# Seeded random strings over the characters the lexicon cares about (differential fuzzing).
ALPHABET = list("ab Z9'\u2019=|{}[]()<>/&;:.,!?-_#*\n\r\t\"") + [
    "ref", "http://", "//", "<ref", "</ref>", "&amp;", "\u3000", "\u6f22", "\u00e9", "\u0663", "\u00b2",
    "\u0964", "<!--", "-->", "''", "'''", "\n\n", "\U0001F600"]


def random_cases(n=250, seed=20261125):
    import random
    rng = random.Random(seed)
    return ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 40))) for _ in range(n)]


def main():
    for text in CASES + random_cases():
        toks = [[t.type, str(t)] for t in wikitext_split.tokenize(text)]
        print(json.dumps({"text": text, "tokens": toks}, ensure_ascii=False))


if __name__ == "__main__":
    main()
