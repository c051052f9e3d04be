"""`quizapp stats [--json]`: the statistics window's figures in a terminal, or as JSON."""

from __future__ import annotations

import argparse
import json
from datetime import date
from typing import Any

from quizapp.cli.common import open_for_cli
from quizapp.cli.printing import say
from quizapp.core.wording import count


def add_parser(commands: Any) -> None:
    p: argparse.ArgumentParser = commands.add_parser(
        "stats",
        help="show study statistics: activity, retention, mastery, forecast, leeches",
        description="The figures of the statistics window. Definitions: quizapp/core/stats.py.",
    )
    p.add_argument("--json", action="store_true", help="print every figure as JSON")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from quizapp.core.stats import stats_to_dict
    from quizapp.services.memory import card_recalls, memory_report
    from quizapp.services.stats import collection_stats, section_labels

    with open_for_cli(args) as col:
        if col is None:
            return 1
        stats = collection_stats(col)
        figures = stats_to_dict(stats)
        figures["deck_names"] = section_labels(col)  # by section, in the deck list's order
        figures["memory"] = memory_report(col).to_json()
        recalls = [c.recall for c in card_recalls(col) if c.recall is not None]
        figures["memory"]["predicted_recall"] = {  # type: ignore[index]
            "cards": len(recalls),
            "mean": round(sum(recalls) / len(recalls), 4) if recalls else None,
            "below_0.8": sum(r < 0.8 for r in recalls),
        }
    if args.json:
        say(json.dumps(figures, indent=2, ensure_ascii=False))
    else:
        say(render_text(figures))
    return 0


def _pct(r: dict[str, Any]) -> str:
    return "—" if r["percent"] is None else f"{r['percent']:.0f} % ({r['passed']}/{r['total']})"


def render_text(d: dict[str, Any]) -> str:
    streak = d["streak"]
    m = d["mastery"]
    lines = [
        f"Today {d['today']}: {count(d['answers_today'], 'answer')} · {d['answers']:,} in all"
        f" · {count(d['cards'], 'card')}",
        f"Streak: {count(streak['current'], 'day')} (longest {count(streak['longest'], 'day')}, "
        f"{count(streak['study_days'], 'study day')})",
        f"Retention: {_pct(d['retention'])}",
        f"Mastery: {m['mature']} mature · {m['young']} young · {m['learning']} learning · "
        f"{m['new']} new",
        "",
    ]
    # Each deck by the deck list's name and in its order; a section no deck has keeps its own.
    names: dict[str, str] = d.get("deck_names", {})
    found = set(d["mastery_by_section"]) | set(d["retention_by_section"])
    sections = [s for s in names if s in found] + sorted(found - set(names))
    if sections:
        width = max(len(names.get(s, s)) for s in sections)
        lines.append(
            f"{'Deck':<{width}}  {'Retention':>16}  {'Mature':>6}  {'Young':>5}  "
            f"{'Learn':>5}  {'New':>4}"
        )
        for s in sections:
            sm = d["mastery_by_section"].get(s, {"mature": 0, "young": 0, "learning": 0, "new": 0})
            ret = d["retention_by_section"].get(s, {"percent": None})
            lines.append(
                f"{names.get(s, s):<{width}}  {_pct(ret):>16}  {sm['mature']:>6}  "
                f"{sm['young']:>5}  {sm['learning']:>5}  {sm['new']:>4}"
            )
        lines.append("")
    lines.append("Due in the next 30 days (from today):")
    lines.append("  " + " ".join(str(day["due"]) for day in d["due_forecast"]))
    lines.append("Reviews per day (last 14 days):")
    today = date.fromisoformat(d["today"]).toordinal()
    recent = [(date.fromordinal(today - i).isoformat(), 0) for i in range(13, -1, -1)]
    lines.append(
        "  " + " ".join(f"{day[5:]}:{d['reviews_per_day'].get(day, 0)}" for day, _n in recent)
    )
    lines.append("Retention by week:")
    for week in d["retention_by_week"][-8:]:
        lines.append(f"  {week['week']}  {_pct(week)}")
    for title, key in (("Intervals", "intervals"), ("Easiness", "easiness")):
        lines.append(f"{title}: " + ", ".join(f"{b['label']}: {b['count']}" for b in d[key]))
    memory = d.get("memory")
    if memory:
        lines.append("")
        lines.append(
            "Readiness today (predicted chance of answering a question of the section right):"
        )
        for section, value in sorted(memory["readiness"].items()):
            lines.append(f"  {section}: {value:.0%}")
        calibration = memory["recall_calibration"]
        if calibration["predictions"]:
            rmse = calibration["rmse_over_bins"]
            lines.append(
                "Predicted recall against what happened: "
                f"{count(calibration['predictions'], 'answer')}, "
                f"RMSE over bins {rmse:.3f}"
            )
        for point in memory["interview_calibration"][-5:]:
            lines.append(
                f"  interview {point['day']}: readiness {point['predicted']:.0%}, scored "
                f"{point['score']:.0%} (Brier so far {point['running_brier']:.3f})"
            )
    lines.append("")
    lines.append(f"Leeches (failed 8 times or more): {len(d['leeches'])}")
    for leech in d["leeches"]:
        lines.append(
            f"  {leech['card_uuid']}  {leech['section']}  failed {leech['failures']} times"
        )
    lines.append(f"Misconceptions: {len(d['misconceptions'])}")
    for mis in d["misconceptions"][:10]:
        lines.append(f"  {mis['section']}: {mis['sentence']}")
        if mis["why"]:
            lines.append(f"    why not: {mis['why']}")
    return "\n".join(lines)
