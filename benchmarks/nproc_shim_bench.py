"""What setting a sandboxed run's process limit inside bubblewrap costs, against before it.

    python benchmarks/nproc_shim_bench.py [--pairs 15] [--runs 5] [--python PYTHON]

Builds a hello world once, then starts fresh Python processes in pairs, alternating which
goes first: `inside` (as shipped: the limit is set by a shim inside the sandbox, on
Linux 5.14 and later) and `before` (the limit counted and set before bubblewrap starts,
as on older kernels and in the fallback), and with `--python` also `python` (the Python
shim, which quizapp uses where util-linux's prlimit is missing, with that interpreter,
which must lie outside the home folders). Each process times its first run (which also
pays for the one trial sandbox that picks the shim) and then `--runs` more. Prints one
JSON object: medians in ms, and the medians of the per-pair ratios to `before`.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHILD = """\
import json, sys, time
from pathlib import Path
from quizapp import rustc
if sys.argv[1] == "before":
    rustc._nproc_shim = lambda: None
elif sys.argv[1] == "python":
    rustc._nproc_shim = lambda: rustc._python_shim(sys.argv[4])
binary, runs = Path(sys.argv[2]), int(sys.argv[3])
rustc.containment()  # the sandbox's own trial, paid either way
times = []
for _ in range(runs + 1):
    started = time.perf_counter()
    done = rustc.run_binary(binary, sandbox=True)
    times.append(time.perf_counter() - started)
    assert done.stdout == "hi\\n", done
shim = rustc._nproc_shim()
print(json.dumps({"first": times[0], "rest": times[1:], "shim": shim and shim[0]}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=15)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--python", help="also time the Python shim with this interpreter")
    args = parser.parse_args()
    from quizapp import rustc

    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder, "main.rs")
        source.write_text('fn main() { println!("hi"); }\n')
        binary = Path(folder, "main")
        subprocess.run([rustc.find_rustc(), "-o", str(binary), str(source)], check=True)
        modes = ["inside", "before", *(["python"] if args.python else [])]
        samples: dict[str, list[dict[str, object]]] = {mode: [] for mode in modes}
        for pair in range(args.pairs):
            order = modes[pair % len(modes) :] + modes[: pair % len(modes)]
            for mode in order:
                argv = [sys.executable, "-c", CHILD, mode, str(binary), str(args.runs)]
                out = subprocess.run(
                    [*argv, args.python or ""],
                    capture_output=True,
                    text=True,
                    check=True,
                ).stdout
                samples[mode].append(json.loads(out))
    ms = 1000.0
    report: dict[str, object] = {"pairs": args.pairs, "runs": args.runs}
    for mode, got in samples.items():
        report[f"{mode}_first_ms"] = round(statistics.median(s["first"] for s in got) * ms, 2)  # type: ignore[misc]
        per = [statistics.median(s["rest"]) for s in got]  # type: ignore[arg-type]
        report[f"{mode}_run_ms"] = round(statistics.median(per) * ms, 2)
    for mode in modes[::2]:  # inside and python, each against before
        ratios = [
            statistics.median(a["rest"]) / statistics.median(b["rest"])  # type: ignore[arg-type]
            for a, b in zip(samples[mode], samples["before"], strict=True)
        ]
        report[f"run_ratio_{mode}_over_before"] = round(statistics.median(ratios), 3)
    report["shim"] = samples["inside"][0]["shim"]
    print(json.dumps(report))


if __name__ == "__main__":
    started = time.perf_counter()
    main()
    print(f"# took {time.perf_counter() - started:.1f} s", file=sys.stderr)
