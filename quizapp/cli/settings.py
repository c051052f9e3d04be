"""`quizapp settings`: list, show and set the learner's settings from the command line.

Every name, range and description comes from the settings' one declaration
(`core.settings.SPECS`), as the dialog's rows do.
"""

from __future__ import annotations

import argparse
from typing import Any

from quizapp.cli.common import open_for_cli
from quizapp.core.settings import SPECS


def add_parser(commands: Any) -> None:
    p: argparse.ArgumentParser = commands.add_parser(
        "settings",
        help="list the settings, or set one: quizapp settings set NAME VALUE",
        description="With no argument, every setting with its value, default and range.",
    )
    actions = p.add_subparsers(dest="action", metavar="ACTION")
    actions.add_parser("list", help="every setting (the default)")
    get = actions.add_parser("get", help="one setting's value")
    get.add_argument("name", choices=[s.name for s in SPECS])
    put = actions.add_parser("set", help="change one setting (checked against its range)")
    put.add_argument("name", choices=[s.name for s in SPECS])
    put.add_argument("value")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from quizapp.services.settings import set_setting

    with open_for_cli(args, sync_decks=False) as col:
        if col is None:
            return 1
        action = getattr(args, "action", None) or "list"
        if action == "set":
            try:
                set_setting(col, args.name, args.value)
            except ValueError as exc:
                print(f"quizapp: {exc}")
                return 1
        values = col.settings.to_dict()
    if action == "get":
        print(values[args.name])
        return 0
    for spec in SPECS if action == "list" else [s for s in SPECS if s.name == args.name]:
        allowed = ", ".join(spec.choices) if spec.is_choice else f"{spec.low}..{spec.high}"
        print(f"{spec.name} = {values[spec.name]}  (default {spec.default}; {allowed})")
        if action == "list":
            print(f"    {spec.description}")
    return 0
