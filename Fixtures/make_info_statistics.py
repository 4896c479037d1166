#!/usr/bin/env python3
"""revscoring's text rendering of each fixture model's statistics (model.info.format()).

    ../shared/reference/run.sh Fixtures/make_info_statistics.py

Writes Fixtures/info-statistics.jsonl: {"model": FILE, "lines": [...]}, the lines between
"Statistics:" and the next "\t - " entry, blank lines dropped, so that `score-cli info` can be
compared with revscoring's layout (tables, rounding, label repr) line for line.
"""
import json
import os

from revscoring import Model

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    models = os.path.join(HERE, "models")
    with open(os.path.join(HERE, "info-statistics.jsonl"), "w", encoding="utf-8") as out:
        for name in sorted(os.listdir(models)):
            with open(os.path.join(models, name), "rb") as f:
                text = Model.load(f).info.format()
            lines, inside = [], False
            for line in text.split("\n"):
                if line.strip() == "Statistics:":
                    inside = True
                    continue
                if inside and line.startswith("\t - "):
                    break
                if inside and line.strip():
                    lines.append(line)
            out.write(json.dumps({"model": name, "lines": lines}, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
