"""Hypothesis strategies for cards and decks of every kind, with awkward text: shared by the
deck writer's round-trip tests and the streamed reader's equality tests."""

from __future__ import annotations

from hypothesis import strategies as st

from quizapp.core.model import Card, Checked, Deck, Kind

AWKWARD = [
    "",
    "'",
    "''",
    "'''",
    "a'''b",
    "ends with '",
    '"quoted"',
    '"""',
    "back\\slash \\n not a newline",
    "trailing spaces   ",
    "trailing spaces  \nnext line",
    "tab\tinside\n\tindented",
    "line\r\nwindows",
    "\x00\x01\x1f\x7f control",
    "ünïcödé → 🦀 日本語",
    "\u2028line separator\x85next line",
    "\n\nleading newlines",
    "trailing newlines\n\n",
    "fn main() {\n    println!(\"{}\", '\\'');\n}\n",
]

text = st.one_of(st.sampled_from(AWKWARD), st.text(st.characters(exclude_categories=["Cs"])))
nonempty = text.filter(bool)
uuids = st.uuids(version=4).map(str)
tags = st.lists(
    st.text(st.characters(exclude_categories=["Cs", "Zs", "Zl", "Zp", "Cc"]), min_size=1),
    max_size=3,
).filter(lambda ts: all(t.split() == [t] for t in ts))
editions = st.sampled_from(["2015", "2018", "2021", "2024"])
checks = st.none() | st.builds(
    Checked, rustc=nonempty, diagnostic=text, output=text, digest=st.sampled_from(["", "ab12"])
)
codes = st.lists(st.from_regex(r"\AE[0-9]{4}\Z"), min_size=1, max_size=3).map(tuple)
messages = nonempty.map(str.strip).filter(bool)


@st.composite
def cards(draw: st.DrawFn) -> Card:
    kind = draw(st.sampled_from(list(Kind)))
    common = {
        "id": draw(uuids),
        "kind": kind,
        "prompt": draw(nonempty),
        "explanation": draw(text),
        "tags": tuple(draw(tags)),
        "edition": draw(editions),
    }
    if kind is Kind.COMPILES:
        compiles = draw(st.booleans())
        code = draw(nonempty.filter(str.strip))
        lines = len(code.splitlines()) or 1
        return Card(
            **common,
            code=code,
            compiles=compiles,
            errors=() if compiles else draw(codes),
            messages=() if compiles else tuple(draw(st.lists(messages, max_size=2))),
            line=None if compiles else draw(st.none() | st.integers(1, lines)),
            ask_error=False if compiles else draw(st.booleans()),
            checked=draw(checks),
        )
    if kind is Kind.FIX:
        code = draw(nonempty.filter(str.strip))
        errors = draw(st.just(()) | codes)
        return Card(
            **common,
            code=code,
            errors=errors,
            messages=tuple(draw(st.lists(messages, min_size=0 if errors else 1, max_size=2))),
            line=draw(st.none() | st.integers(1, len(code.splitlines()) or 1)),
            fixed=draw(nonempty.filter(str.strip)),
            stdout=draw(st.none() | text),
            checked=draw(checks),
        )
    if kind is Kind.OUTPUT:
        panics = draw(st.booleans())
        stdout = draw(st.none() | text) if panics else draw(text)
        return Card(
            **common,
            code=draw(nonempty.filter(str.strip)),
            stdout=stdout,
            panics=panics,
            checked=draw(checks),
        )
    code = draw(st.just("") | text)
    if kind is Kind.CHOICE:
        options = draw(st.lists(nonempty, min_size=2, max_size=12))
        answer = draw(
            st.lists(
                st.integers(0, len(options) - 1), min_size=1, max_size=len(options), unique=True
            )
        )
        return Card(
            **common,
            code=code,
            options=tuple(options),
            answer_indexes=tuple(answer),
            explanations=tuple(draw(st.lists(text, min_size=len(options), max_size=len(options)))),
            multiple=draw(st.booleans()),
        )
    if kind is Kind.SHORT:
        return Card(**common, code=code, accepted=tuple(draw(st.lists(nonempty, min_size=1))))
    return Card(**common, code=code, back=draw(text))


@st.composite
def decks(draw: st.DrawFn) -> Deck:
    body = draw(st.lists(cards(), max_size=5, unique_by=lambda c: c.id))
    return Deck(
        id=draw(uuids),
        name=draw(nonempty.filter(lambda s: len(s) <= 200)),
        section=draw(text.filter(lambda s: len(s) <= 300)),
        description=draw(text),
        cards=tuple(body),
    )
