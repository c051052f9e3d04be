"""`quizapp verify`: placeholder until the verify command lands."""

from __future__ import annotations

import argparse
from typing import Any


def add_parser(commands: Any) -> None:
    p: argparse.ArgumentParser = commands.add_parser("verify", help="check deck files against rustc")
    p.set_defaults(handler=lambda args: 2)
