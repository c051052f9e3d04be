"""The big sync merge, this checkout against another (an older commit), in fresh processes.

Builds once what `sync_bench.py` builds (N cards, this device joined, two other devices'
journals of R answers each), then for `--pairs` pairs runs the merge in a fresh process
with the other checkout's code and then with this one's (A B A B ...), each on its own copy
of the built data. Prints one JSON object: per side the merge's wall and CPU seconds and
their medians, this side's phases (`SyncReport.phases`), and the median of the per-pair CPU
ratios this / other, the figure that counts on a shared machine (both sides share its load).

    git archive <commit> | tar -x -C /tmp/old      # the code to compare against
    python benchmarks/sync_merge_ab.py --other /tmp/old --pairs 3
    python benchmarks/sync_merge_ab.py --other /tmp/old --cards 20000 --reviews 20000 --pairs 1
    python benchmarks/sync_merge_ab.py --other /tmp/old --base /tmp/merge-base   # built once, kept

With `--base DIR` the built data is kept in DIR (built there if DIR is not there yet), so
later runs compare on the very same data; it is only read, each run works on a copy.

Speed is measured here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_CHILD = """
import json, shutil, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from quizapp.services import sync
from quizapp.services.collection import open_collection
base, work = Path(sys.argv[2]), Path(sys.argv[3])
shutil.copytree(base / "data", work / "data")
shutil.copytree(base / "folder", work / "folder")
col = open_collection(work / "data")
sync.choose_folder(col, work / "folder")  # the copy's folder; this device's files are there
# The journal's writer opens (reading this device's newest file) before the timed merge,
# as in an app that has been open a while: `sync_bench.py` times the same.
sync.attach(col).flush()
wall, cpu = time.perf_counter(), time.process_time()
report = sync.sync(col, compact=False)
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
col.close()
phases = {k: [round(w, 3), round(c, 3)] for k, (w, c) in getattr(report, "phases", {}).items()}
print(json.dumps({"wall": wall, "cpu": cpu, "answers": report.reviews_added, "phases": phases}))
"""


def build(base: Path, cards: int, reviews: int) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    sys.path.insert(0, str(ROOT))
    import sync_bench

    from quizapp.services import sync
    from quizapp.services.collection import open_collection

    uuids = sync_bench.build(base / "data", cards)
    col = open_collection(base / "data")
    sync.choose_folder(col, base / "folder")
    sync.sync(col, compact=False)
    sync.detach(col)
    col.close()
    for seed in (1, 2):
        sync_bench.device_journal(base / "folder", uuid.uuid4().hex, uuids, reviews, seed)


def run(code: Path, base: Path, work: Path) -> dict[str, object]:
    shutil.rmtree(work, ignore_errors=True)
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, str(code), str(base), str(work)],
        capture_output=True,
        text=True,
        check=True,
        cwd=code,
    ).stdout
    shutil.rmtree(work, ignore_errors=True)
    result: dict[str, object] = json.loads(out.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--other", type=Path, required=True, help="the checkout to compare")
    parser.add_argument("--cards", type=int, default=100_000)
    parser.add_argument("--reviews", type=int, default=100_000)
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--base", type=Path, help="keep (or reuse) the built data here")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="sync-ab-"))
    base = args.base.resolve() if args.base else root / "base"
    load_start = os.getloadavg()[0]
    try:
        if not base.exists():
            build(base, args.cards, args.reviews)
        runs: dict[str, list[dict[str, object]]] = {"other": [], "this": []}
        for _ in range(args.pairs):
            runs["other"].append(run(args.other.resolve(), base, root / "work"))
            runs["this"].append(run(ROOT, base, root / "work"))
        ratios = [
            float(t["cpu"]) / float(o["cpu"])  # type: ignore[arg-type]
            for t, o in zip(runs["this"], runs["other"], strict=True)
        ]
        wall_ratios = [
            float(t["wall"]) / float(o["wall"])  # type: ignore[arg-type]
            for t, o in zip(runs["this"], runs["other"], strict=True)
        ]
        print(
            json.dumps(
                {
                    "cards": args.cards,
                    "reviews_per_device": args.reviews,
                    "pairs": args.pairs,
                    **{
                        side: {
                            "cpu": [round(float(r["cpu"]), 3) for r in found],  # type: ignore[arg-type]
                            "wall": [round(float(r["wall"]), 3) for r in found],  # type: ignore[arg-type]
                            "cpu_median": round(
                                statistics.median(float(r["cpu"]) for r in found), 3
                            ),  # type: ignore[arg-type]
                            "wall_median": round(
                                statistics.median(float(r["wall"]) for r in found), 3
                            ),  # type: ignore[arg-type]
                        }
                        for side, found in runs.items()
                    },
                    "this_phases": runs["this"][-1]["phases"],
                    "cpu_ratios": [round(r, 3) for r in ratios],
                    "wall_ratios": [round(r, 3) for r in wall_ratios],
                    "cpu_ratio_median": round(statistics.median(ratios), 3),
                    "wall_ratio_median": round(statistics.median(wall_ratios), 3),
                    "load_average": [round(load_start, 1), round(os.getloadavg()[0], 1)],
                },
                indent=1,
            )
        )
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
