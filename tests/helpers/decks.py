"""The sample deck the tests use, and edited copies of it."""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).parent.parent / "data"
SAMPLE_ID = "6f1c2f0a-5d1e-4b7a-9c3e-2a4b6c8d0e1f"
SAMPLE = (DATA / "sample.toml").read_text(encoding="utf-8")


def edited_sample(tmp_path: Path) -> Path:
    """The sample with one prompt changed, the flashcard dropped and a short card added."""
    text = SAMPLE.replace("What does this print?", "What does this program print?")
    text = text[: text.rindex("[[cards]]")] + (
        '[[cards]]\nid = "a0000000-0000-4000-8000-000000000009"\nkind = "short"\n'
        'prompt = "Trait for types that can be sent to another thread?"\nanswer = ["Send"]\n'
    )
    path = tmp_path / "team-sample.toml"
    path.write_text(text, encoding="utf-8")
    return path


SAMPLE_ID = "6f1c2f0a-5d1e-4b7a-9c3e-2a4b6c8d0e1f"


SAMPLE = (DATA / "sample.toml").read_text(encoding="utf-8")
