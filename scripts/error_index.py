"""Build resources/rustc-error-index.json: every rustc error code, a title, and its explanation.

The study page's error picker completes over this index ("E0382 borrow of moved value") and
shows a code's `rustc --explain` text after answering, on machines with no rustc at all, so
the index ships as data made here from the local rustc:

    python scripts/error_index.py                  # writes resources/rustc-error-index.json

For each code `rustc --explain` gives the long text. The title is the message rustc prints
for that code, found by compiling the text's first example (as metadata only: nothing is
linked or run) and taking the message of its error with that code, cut before the first
`: ` that names something of the example (`borrow of moved value: `x`` becomes
`borrow of moved value`). When the example does not give that code on stable rustc, the
title is the explanation's first sentence.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HIGHEST_CODE = 820
"""rustc 1.95 stops at E0805; a margin lets a newer rustc add codes without a script change."""
_FENCE = re.compile(r"^```[^\n]*\n(.*?)^```", re.DOTALL | re.MULTILINE)
_RETIRED = "no longer emitted by the compiler"
_SAID = re.compile(r"// error(?:\[E\d{4}\])?: (.+)$", re.MULTILINE)
"""The examples' own "// error: ..." comments: rustc's message when it was written."""


def explain(code: str) -> str | None:
    done = subprocess.run(
        ["rustc", "--explain", code], capture_output=True, text=True, check=False, timeout=60
    )
    return done.stdout if done.returncode == 0 and done.stdout.strip() else None


def message_of(code: str, example: str) -> str | None:
    """The message rustc gives for `code` when compiling `example`, if it gives that code.

    rustdoc wraps an example without `fn main` in one, so that is tried too.
    """
    found = _message_of(code, example)
    if found is None and not re.search(r"\bfn\s+main\s*\(", example):
        found = _message_of(code, "fn main() {\n" + example + "\n}\n")
    return found


def _message_of(code: str, example: str) -> str | None:
    with tempfile.TemporaryDirectory(prefix="error-index-") as build:
        source = Path(build) / "example.rs"
        source.write_text(example, encoding="utf-8")
        crate = "bin" if re.search(r"\bfn\s+main\s*\(", example) else "lib"
        argv = ["rustc", "--edition", "2021", "--crate-type", crate, "--emit=metadata"]
        argv += ["--error-format=json", "-o", str(Path(build) / "out"), str(source)]
        done = subprocess.run(argv, capture_output=True, text=True, check=False, timeout=120)
    for line in done.stderr.splitlines():
        try:
            item = json.loads(line)
        except ValueError:
            continue
        if isinstance(item, dict) and (item.get("code") or {}).get("code") == code:
            return str(item.get("message", ""))
    return None


def title_from(message: str) -> str:
    """rustc's message without a trailing name from the example (`borrow of moved value: `x``)."""
    return re.sub(r":\s*`[^`]*`$", "", message.strip()) or message.strip()


def first_sentence(text: str) -> str:
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#")).strip()
    first = re.split(r"(?<=[.!?])\s", body.replace("\n", " "), maxsplit=1)[0]
    return first.strip().rstrip(".")


COMMONER = {"E0382": "borrow of moved value (or use of moved value)"}
"""Codes whose explanation's example gives a rarer message than learners meet first."""


def entry(number: int) -> tuple[str, dict[str, object]] | None:
    code = f"E{number:04d}"
    text = explain(code)
    if text is None:
        return None
    emitted = _RETIRED not in text
    fence = _FENCE.search(text)
    message = message_of(code, fence.group(1)) if emitted and fence else None
    said = _SAID.search(text) if emitted else None
    if message:
        title = title_from(message)
    elif said:
        title = title_from(said.group(1))
    else:
        title = first_sentence(text)
    title = COMMONER.get(code, title)
    return code, {"title": title, "emitted": emitted, "explain": text.rstrip() + "\n"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    here = Path(__file__).resolve().parent.parent
    parser.add_argument(
        "-o", "--output", type=Path, default=here / "resources" / "rustc-error-index.json"
    )
    parser.add_argument("-j", "--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    version = subprocess.run(
        ["rustc", "--version"], capture_output=True, text=True, check=True
    ).stdout.strip()
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        found = [e for e in pool.map(entry, range(1, HIGHEST_CODE + 1)) if e is not None]
    index = {"rustc": version, "codes": dict(found)}
    args.output.write_text(
        json.dumps(index, ensure_ascii=False, indent=0, sort_keys=True) + "\n", encoding="utf-8"
    )
    print(f"{len(found)} codes from {version} -> {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
