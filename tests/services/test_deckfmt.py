"""`quizapp fmt` and `quizapp new-card`: one layout per deck, values and comments kept."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp.app import main
from quizapp.core.deck_layout import toml_string
from quizapp.core.deckfile import parse_deck_text, validate_deck_data
from quizapp.core.deckwriter import card_piece, iter_deck_pieces, write_deck
from quizapp.core.model import Deck, Kind
from quizapp.services.deckfmt import FormatError, append_card, format_deck, format_text
from tests.conftest import DATA
from tests.helpers.deck_strategies import decks

SHIPPED = sorted((Path(__file__).parents[2] / "decks").glob("*.toml"))

MESSY = """\
# A team's deck. This header comment stays on top.
format = 1
[deck]
name = "Messy"   # the deck's name
id = "6f1c2f0a-5d1e-4b7a-9c3e-2a4b6c8d0e10"


# ------------------------------------------------ section one

[[cards]]
prompt = 'Does it compile?'
kind = "compiles"
id = "a0000000-0000-4000-8000-0000000000a1"
errors = [ "E0382" ]
compiles = false
# the classic
code = \"\"\"
fn main() {
    let s = String::from("hi");
    let t = s;
    println!("{s} {t}");
}
\"\"\"
explanation = "A very long explanation that goes on and on past the hundred characters a line may hold, so it is wrapped with backslashes."
[cards.checked]
digest = "abc"
rustc = "rustc 1.95.0"
[[cards]]
id = "a0000000-0000-4000-8000-0000000000a2"
kind = "choice"
prompt = "Pick"
options = [
  "one",
  "two",
]
answer = [0]
explanations = ["yes", "no"]
# trailing words at the end of the file
"""


def test_a_messy_deck_gets_the_canonical_layout_with_values_and_comments_kept() -> None:
    out = format_text(MESSY)
    assert tomllib.loads(out) == tomllib.loads(MESSY)
    assert out == (
        "# A team's deck. This header comment stays on top.\n"
        "format = 1\n"
        "\n"
        "[deck]\n"
        'id = "6f1c2f0a-5d1e-4b7a-9c3e-2a4b6c8d0e10"\n'
        'name = "Messy"  # the deck\'s name\n'
        "\n"
        "# ------------------------------------------------ section one\n"
        "\n"
        "[[cards]]\n"
        'id = "a0000000-0000-4000-8000-0000000000a1"\n'
        'kind = "compiles"\n'
        'prompt = "Does it compile?"\n'
        "# the classic\n"
        "code = '''\n"
        "fn main() {\n"
        '    let s = String::from("hi");\n'
        "    let t = s;\n"
        '    println!("{s} {t}");\n'
        "}\n"
        "'''\n"
        "compiles = false\n"
        'errors = ["E0382"]\n'
        'explanation = """\n'
        "A very long explanation that goes on and on past the hundred characters a line may "
        "hold, so it is \\\n"
        'wrapped with backslashes."""\n'
        "\n"
        "[cards.checked]\n"
        'rustc = "rustc 1.95.0"\n'
        'digest = "abc"\n'
        "\n"
        "[[cards]]\n"
        'id = "a0000000-0000-4000-8000-0000000000a2"\n'
        'kind = "choice"\n'
        'prompt = "Pick"\n'
        'options = ["one", "two"]\n'
        "answer = [0]\n"
        "explanations = [\n"
        '  "yes",\n'
        '  "no",\n'
        "]\n"
        "\n"
        "# trailing words at the end of the file\n"
    )
    assert format_text(out) == out


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_decks_are_canonical(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert format_text(text, str(path)) == text, f"run `quizapp fmt {path}`"


def test_a_comment_inside_a_list_is_reported_and_the_file_left_alone(tmp_path: Path) -> None:
    text = MESSY.replace('  "one",\n', '  "one",  # first\n')
    with pytest.raises(FormatError, match="inside a list"):
        format_text(text, "team.toml")
    path = tmp_path / "team.toml"
    path.write_text(text, encoding="utf-8")
    assert main(["fmt", str(path)]) == 2
    assert path.read_text(encoding="utf-8") == text


prose = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\n"),
    max_size=400,
)


@settings(max_examples=300, deadline=None)
@given(explanation=prose, prompt=prose.filter(bool))
def test_any_one_line_prose_reads_back_unchanged_and_formats_once(
    explanation: str, prompt: str
) -> None:
    deck = format_text(
        MESSY.replace('prompt = "Pick"', "prompt = " + _basic(prompt)).replace(
            'explanations = ["yes", "no"]',
            'explanations = ["yes", "no"]\nexplanation = ' + _basic(explanation),
        )
    )
    cards = tomllib.loads(deck)["cards"]
    assert cards[1]["prompt"] == prompt and cards[1]["explanation"] == explanation
    assert format_text(deck) == deck
    assert all(len(line) <= 100 for line in deck.splitlines() if " " not in line[90:])


def _basic(value: str) -> str:
    from quizapp.core.deck_layout import toml_string

    return toml_string(value)


def test_fmt_check_lists_the_files_that_would_change_and_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    messy, tidy = tmp_path / "decks" / "messy.toml", tmp_path / "decks" / "tidy.toml"
    messy.parent.mkdir()
    messy.write_text(MESSY, encoding="utf-8")
    tidy.write_text(format_text((DATA / "sample.toml").read_text()), encoding="utf-8")
    assert main(["fmt", "--check", str(tmp_path / "decks")]) == 1
    assert capsys.readouterr().out.splitlines() == [str(messy)]
    assert messy.read_text(encoding="utf-8") == MESSY
    assert main(["fmt", str(messy), str(tidy)]) == 0
    assert main(["fmt", "--check", str(tmp_path / "decks")]) == 0
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("kind", [k.value for k in Kind])
def test_new_card_appends_a_skeleton_keeping_every_byte_before_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    path = tmp_path / "deck.toml"
    original = MESSY.encode("utf-8")
    path.write_bytes(original)
    assert main(["new-card", str(path), "--kind", kind]) == 0
    card_id = capsys.readouterr().out.strip()
    after = path.read_bytes()
    assert after.startswith(original)
    data = tomllib.loads(after.decode("utf-8"))
    new = data["cards"][-1]
    assert new["id"] == card_id and new["kind"] == kind
    assert card_id not in MESSY
    problems = validate_deck_data(data)
    # Only the texts the author must write are wrong: the prompt, the options, the answers.
    assert problems and all(p.field.startswith("cards[2].") for p in problems)
    assert {p.field.split(".")[1].split("[")[0] for p in problems} <= {
        "prompt",
        "options",
        "answer",
        "errors",
    }
    skeleton = after[len(original) :].decode("utf-8")
    assert format_text(skeleton.replace("[[cards]]", MESSY + "\n[[cards]]", 1)).endswith(
        skeleton.lstrip("\n")
    ), "the skeleton is already canonical"


def test_new_card_gives_a_fresh_id_each_time(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "deck.toml"
    path.write_text(MESSY, encoding="utf-8")
    main(["new-card", str(path), "--kind", "flashcard"])
    main(["new-card", str(path), "--kind", "flashcard"])
    first, second = capsys.readouterr().out.split()
    assert first != second
    assert append_card(MESSY, "short")[1] not in (first, second)


# ---------------------------------------------------------------- any layout in, one out

_FIELDS = {
    "id": '"a0000000-0000-4000-8000-0000000000b1"',
    "kind": '"choice"',
    "prompt": None,
    "options": '["one", "two"]',
    "answer": "[1]",
    "explanations": '["no", "yes"]',
    "explanation": None,
    "tags": '["a", "b"]',
}


@st.composite
def messy_decks(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A valid deck laid out at random: key order, string styles, blank lines, comments."""
    comments: list[str] = []
    n = 0

    def comment_lines() -> list[str]:
        nonlocal n
        out = []
        for _ in range(draw(st.integers(0, 2))):
            n += 1
            text = f"# note {n}" + draw(st.sampled_from(["", " with words", "  spaced"]))
            comments.append(text)
            out += [text] + [""] * draw(st.integers(0, 1))
        return out

    def trailing() -> str:
        nonlocal n
        if not draw(st.booleans()):
            return ""
        n += 1
        comments.append(f"# side {n}")
        return draw(st.sampled_from([" ", "  ", "\t"])) + f"# side {n}"

    def prose() -> str:
        words = draw(
            st.lists(st.sampled_from(["a", "borrow", "`x`", 'say "hi"', "it's"]), max_size=40)
        )
        text = " ".join(words) or "empty"
        style = draw(st.integers(0, 3))
        if style == 0:
            return toml_string(text)
        if style == 1 and "'" not in text:
            return f"'{text}'"
        if style == 2:
            return '"""\n' + text.replace('"', '\\"') + '"""'
        return toml_string(text)

    lines = [*comment_lines(), "format = 1" + trailing(), *[""] * draw(st.integers(0, 2))]
    lines += [*comment_lines(), "[deck]" + trailing()]
    head = [
        ("id", '"6f1c2f0a-5d1e-4b7a-9c3e-2a4b6c8d0e11"'),
        ("name", '"Random"'),
        ("description", None),
    ]
    for key, value in draw(st.permutations(head)):
        lines += [*comment_lines(), f"{key} = {value or prose()}{trailing()}"]
        lines += [""] * draw(st.integers(0, 1))
    for index in range(draw(st.integers(1, 3))):
        lines += [""] * draw(st.integers(0, 2))
        lines += [*comment_lines(), "[[cards]]" + trailing()]
        for key, value in draw(st.permutations(list(_FIELDS.items()))):
            shown = value or prose()
            if key == "id":
                shown = shown.replace("b1", f"b{index}")
            lines += [*comment_lines(), f"{key} = {shown}{trailing()}"]
    lines += comment_lines()
    return "\n".join(lines) + "\n", comments


@settings(max_examples=200, deadline=None)
@given(messy_decks())
def test_any_layout_formats_to_the_same_values_and_keeps_every_comment(
    deck: tuple[str, list[str]],
) -> None:
    text, comments = deck
    assert not validate_deck_data(tomllib.loads(text))
    out = format_text(text)
    assert tomllib.loads(out) == tomllib.loads(text)
    assert format_text(out) == out
    kept = [line.split("#", 1)[1] for line in out.splitlines() if "#" in line]
    assert sorted("#" + k for k in kept) == sorted(c.strip() for c in comments)


@pytest.mark.parametrize(
    ("text", "has"),
    [
        ('a = "x # y"\n', False),
        ("a = 'x # y'\n", False),
        ('a = """\nx # y\n"""\n', False),
        ("a = '''\n# y\n'''\n", False),
        ('a = "q\\"#"\n', False),
        ('a = """a""""" \n', False),
        ('a = "x" # c\n', True),
        ("# c\n", True),
        ('a = """a\\"""" # c\n', True),
        ("a = '''a''''' #c\n", True),
        ('a = [\n "x", # c\n]\n', True),
    ],
)
def test_the_fast_path_sees_every_comment(text: str, has: bool) -> None:
    """Files without comments skip tomlkit; a comment taken for a string would be lost."""
    from quizapp.services.deckfmt import _has_comments

    tomllib.loads(text)  # valid TOML
    assert _has_comments(text) is has


def test_new_card_adds_the_first_card_to_a_deck_fmt_wrote_without_cards(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`fmt` writes a deck with no cards as `cards = []`; its first card must still go in."""
    path = tmp_path / "deck.toml"
    path.write_text(
        format_text(
            'format = 1\n[deck]\nid = "d0000000-0000-4000-8000-000000000001"\n'
            'name = "Empty"\ncards = []\n'
        ),
        encoding="utf-8",
    )
    assert "cards = []" in path.read_text(encoding="utf-8")
    assert main(["new-card", str(path), "--kind", "fix"]) == 0
    card_id = capsys.readouterr().out.strip()
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert [c["id"] for c in data["cards"]] == [card_id]
    assert data["cards"][0]["kind"] == "fix" and "fixed" in data["cards"][0]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(decks())
def test_a_deck_quizapp_writes_is_already_canonical(deck: Deck) -> None:
    """`export` and `publish` write by the canonical layout's rules: a team that commits an
    export and runs `quizapp fmt --check` in CI sees no change (before, every long line of
    prose and every one-line piece of code was laid out again)."""
    written = write_deck(deck)
    assert format_text(written) == written
    assert format_deck(deck) == written


@settings(max_examples=200, deadline=None)
@given(decks())
def test_an_export_streamed_from_the_collection_is_canonical_too(deck: Deck) -> None:
    """The bulk export's per-kind writer (`card_text`, from the stored rows) gives the same
    canonical bytes as the general writer, plain text or not."""
    from quizapp.storage.codec import card_to_json, stored_cards_text

    pieces = stored_cards_text(card_to_json(c) for c in deck.cards)
    assert pieces == "".join(card_piece(c) for c in deck.cards)
    written = "".join(iter_deck_pieces(deck, [pieces] if deck.cards else []))
    assert format_text(written) == written


def test_every_shipped_deck_exports_byte_for_byte_as_its_file(tmp_path: Path) -> None:
    """The shipped decks are canonical (`test_shipped_decks_are_canonical`); exported from
    a collection that loaded them, they are the same text less their comments (which only a
    file holds), and canonical."""
    from quizapp.services.collection import open_collection
    from quizapp.services.decks import sync_shipped_decks
    from quizapp.services.exchange import export_deck

    col = open_collection(tmp_path / "data")
    try:
        assert sync_shipped_decks(col, SHIPPED[0].parent).errors == []
        for path in SHIPPED:
            deck_id = tomllib.loads(path.read_text(encoding="utf-8"))["deck"]["id"]
            target = tmp_path / "exported" / path.name
            export_deck(col, deck_id, target)
            text = path.read_text(encoding="utf-8")
            exported = target.read_text(encoding="utf-8")
            assert exported == format_deck(parse_deck_text(text, str(path))), path.name
            assert format_text(exported) == exported
    finally:
        col.close()
