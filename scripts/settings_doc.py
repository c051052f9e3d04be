"""Write docs/settings.md from the settings' one declaration (`quizapp.core.settings.SPECS`).

    python scripts/settings_doc.py -o docs/settings.md

A test fails when the page in the repository differs from what this writes.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from quizapp.core.settings import SPECS


def settings_page() -> str:
    lines = [
        "# Settings",
        "",
        "Written by `python scripts/settings_doc.py -o docs/settings.md` from",
        "`quizapp/core/settings.py`, where each setting is declared once; the settings dialog",
        "(File → Settings…, Ctrl+,) and `quizapp settings` are built from the same declaration.",
        "",
        "    quizapp settings                    # every setting, its value, default and range",
        "    quizapp settings set NAME VALUE     # refused, nothing changed, if out of range",
        "",
        "| setting | in the dialog | default | allowed | what it does |",
        "|---|---|---|---|---|",
    ]
    for spec in SPECS:
        allowed = ", ".join(f"`{c}`" for c in spec.choices) or f"{spec.low} to {spec.high}"
        lines.append(
            f"| `{spec.name}` | {spec.label} | `{spec.default}` | {allowed} | {spec.description} |"
        )
    lines += [
        "",
        "A stored value that is out of range or of the wrong type (a hand-edited or damaged",
        "collection) is not used: quizapp says so once and uses the default.",
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path)
    args = parser.parse_args()
    text = settings_page()
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    else:
        print(text, end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
