"""Verify deck files: the schema, unique ids, and every code card's answer against rustc.

A deck's answers are claims about the compiler. This use case asks the local rustc whether
each claim holds, so a wrong answer is caught in review rather than by a learner who then
"learns" it. It also keeps `[cards.checked]` honest: a stored diagnostic whose card changed
since (its digest no longer matches), or that the same rustc no longer prints, fails.

Results are cached by what decides them (code, edition, rustc version, compile or run), not
by the card's answer, so editing an answer re-judges without recompiling, and a second run
over unchanged decks asks rustc nothing.

Running a program from a deck someone else wrote is running their code on this machine:
only decks shipped with quizapp run by default; others need `run_foreign=True` (`--run`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from quizapp import rustc
from quizapp.adapters.files import load_deck_file
from quizapp.adapters.paths import shipped_decks_dir
from quizapp.core.checked import card_digest
from quizapp.core.deckfile import DeckFileError
from quizapp.core.decklint import lint_decks
from quizapp.core.grading import normalize_output
from quizapp.core.model import Card, Checked, Deck, Kind

CACHE_FORMAT = 2
"""Part of every cache key: bump it when what a cached result means changes."""
CACHE_FILE = "verify-cache.json"
CACHE_MAX_ENTRIES = 20_000
NEEDS_RUN = "needs --run: its deck is not shipped with quizapp, so its program is not run"

ProgressCallback = Callable[[int, int], None]
"""Called as `(done, total)` on the calling thread as code cards finish."""


@dataclass(frozen=True)
class Finding:
    """One line of the report: where, which card, and what is wrong (or why it was skipped)."""

    where: str
    card_id: str | None
    message: str

    def render(self) -> str:
        card = f": card {self.card_id}" if self.card_id else ""
        return f"{self.where}{card}: {self.message}"


@dataclass(frozen=True)
class VerifyReport:
    files: tuple[Path, ...]
    decks: int
    """Files that parsed; a file that does not parse counts as one failure."""
    passed: int
    failed: int
    skipped: int
    failures: tuple[Finding, ...]
    skips: tuple[Finding, ...]
    rustc_version: str | None
    compiles: int
    """rustc invocations this run; the rest came from the cache."""
    cache_hits: int
    written: tuple[Path, ...]

    @property
    def ok(self) -> bool:
        return self.failed == 0

    def summary(self) -> str:
        line = f"{self.passed} passed, {self.failed} failed"
        return f"{line}, {self.skipped} skipped" if self.skipped else line


def default_cache_dir() -> Path:
    env = os.environ.get("QUIZAPP_CACHE_DIR")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("quizapp"))


def verify_paths(
    paths: Sequence[Path] = (),
    *,
    jobs: int | None = None,
    run_foreign: bool = False,
    write: bool = False,
    progress_callback: ProgressCallback | None = None,
    cache_dir: Path | None = None,
    use_cache: bool = True,
    run_timeout: float = rustc.DEFAULT_RUN_TIMEOUT,
    lint: bool = False,
) -> VerifyReport:
    """Check every deck file in `paths` (a directory means its `*.toml`; none: shipped decks).

    With `lint`, also report what `core.decklint` finds across the decks; each finding
    counts as a failure, so CI can hold decks to it.

    Raises `rustc.RustcMissing` when code cards need checking and there is no rustc.
    """
    files, findings = _expand(paths or [shipped_decks_dir()])
    failed_units = len(findings)
    loaded: list[_LoadedDeck] = []
    for path in files:
        try:
            loaded.append(_LoadedDeck(path, load_deck_file(path)))
        except DeckFileError as exc:
            findings.extend(_problem_findings(exc))
            failed_units += 1  # its cards are unknown: the file is the unit that failed
    _mark_duplicate_ids(loaded)

    work = [u for d in loaded for u in d.code_units(run_foreign)]
    version: str | None = None
    cache = _ResultCache(None)
    compiles = 0
    if work:
        compiler = rustc.find_rustc()
        version = rustc.rustc_version(compiler)
        cache = _ResultCache((cache_dir or default_cache_dir()) / CACHE_FILE if use_cache else None)
        runner = _Runner(compiler, version, cache, run_timeout)
        compiles = runner.execute(work, jobs or os.cpu_count() or 1, progress_callback)
        cache.save()

    passed = skipped = 0
    failures: list[Finding] = list(findings)
    skips: list[Finding] = []
    written: list[Path] = []
    for deck in loaded:
        failures.extend(Finding(str(deck.path), None, p) for p in deck.deck_problems)
        failed_units += len(deck.deck_problems)
        updates: dict[int, Checked] = {}
        for index, card in enumerate(deck.deck.cards):
            verdict = deck.judge(index, card, version, write)
            failures.extend(verdict.failures)
            skips.extend(verdict.skips)
            if verdict.failures:
                failed_units += 1
            elif verdict.skips:
                skipped += 1
            else:
                passed += 1
            if verdict.new_checked is not None:
                updates[index] = verdict.new_checked
        if write and updates:
            try:
                write_checked(deck.path, updates)
                written.append(deck.path)
            except OSError as exc:
                failures.append(Finding(str(deck.path), None, f"cannot write: {exc.strerror}"))
                failed_units += 1
    if lint:
        local = version
        if local is None:
            with contextlib.suppress(rustc.RustcError):
                local = rustc.rustc_version()
        labelled = [(str(d.path), d.deck) for d in loaded]
        for found in lint_decks(labelled, local):
            failures.append(Finding(found.where, found.card_id, f"lint: {found.message}"))
            failed_units += 1
    return VerifyReport(
        files=tuple(files),
        decks=len(loaded),
        passed=passed,
        failed=failed_units,
        skipped=skipped,
        failures=tuple(failures),
        skips=tuple(skips),
        rustc_version=version,
        compiles=compiles,
        cache_hits=cache.hits,
        written=tuple(written),
    )


def is_shipped(path: Path) -> bool:
    return path.resolve().is_relative_to(shipped_decks_dir().resolve())


def _expand(paths: Iterable[Path]) -> tuple[list[Path], list[Finding]]:
    files: list[Path] = []
    findings: list[Finding] = []
    for path in paths:
        if path.is_dir():
            found = sorted(path.glob("*.toml"))
            if not found:
                findings.append(Finding(str(path), None, "no *.toml deck files in this directory"))
            files.extend(found)
        elif path.exists():
            files.append(path)
        else:
            findings.append(Finding(str(path), None, "no such file or directory"))
    unique = {f.resolve(): f for f in reversed(files)}
    return list(reversed(unique.values())), findings


def _problem_findings(exc: DeckFileError) -> list[Finding]:
    out = []
    for problem in exc.problems:
        where = f"{exc.source}:{problem.line}" if problem.line else exc.source
        message = f"{problem.field}: {problem.message}" if problem.field else problem.message
        out.append(Finding(where, None, message))
    return out


def _mark_duplicate_ids(decks: list[_LoadedDeck]) -> None:
    """Ids must be unique across every file given, not only within one (deckfile checks that)."""
    owners: dict[str, Path] = {}
    for deck in decks:
        if deck.deck.id in owners and owners[deck.deck.id] != deck.path:
            deck.deck_problems.append(
                f"deck {deck.deck.id}: duplicate deck id (also in {owners[deck.deck.id]})"
            )
        owners.setdefault(deck.deck.id, deck.path)
    for deck in decks:
        for index, card in enumerate(deck.deck.cards):
            owner = owners.setdefault(card.id, deck.path)
            if owner != deck.path:
                deck.card_problems.setdefault(index, []).append(
                    f"duplicate id (also used in {owner})"
                )


@dataclass(frozen=True)
class _Job:
    """What to ask rustc; equal jobs from several cards are asked once."""

    code: str
    edition: str
    mode: str  # "compile" or "run"


@dataclass(frozen=True)
class _Outcome:
    """rustc's answer to a job, in a form that can be cached as JSON."""

    compile: rustc.CompileResult | None = None
    run: rustc.RunResult | None = None
    error: str = ""
    """An environment problem (rustc timed out) rather than an answer."""

    def to_json(self) -> dict[str, Any]:
        assert self.compile is not None
        data: dict[str, Any] = {"compile": _dump(self.compile)}
        if self.run is not None:
            data["run"] = _dump(self.run)
        return data

    @staticmethod
    def from_json(data: dict[str, Any]) -> _Outcome:
        c = data["compile"]
        compiled = rustc.CompileResult(
            success=bool(c["success"]),
            error_codes=tuple(c["error_codes"]),
            diagnostic=str(c["diagnostic"]),
            uncoded_errors=tuple(c["uncoded_errors"]),
            primary_lines=tuple(c.get("primary_lines", ())),
        )
        r = data.get("run")
        ran = rustc.RunResult(**r) if isinstance(r, dict) else None
        return _Outcome(compiled, ran)

    @property
    def cacheable(self) -> bool:
        """Timeouts and truncations may be the machine's fault today: ask again next time."""
        return not self.error and not (self.run and (self.run.timed_out or self.run.truncated))


def _dump(value: rustc.CompileResult | rustc.RunResult) -> dict[str, Any]:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in vars(value).items()}


@dataclass
class _Unit:
    deck: _LoadedDeck
    index: int
    job: _Job
    part: str = "code"
    """"code", or "fixed" for a fix card's model fix."""


@dataclass
class _Verdict:
    failures: list[Finding] = field(default_factory=list)
    skips: list[Finding] = field(default_factory=list)
    new_checked: Checked | None = None


@dataclass
class _LoadedDeck:
    path: Path
    deck: Deck
    deck_problems: list[str] = field(default_factory=list)
    card_problems: dict[int, list[str]] = field(default_factory=dict)
    outcomes: dict[int, _Outcome] = field(default_factory=dict)
    fixed_outcomes: dict[int, _Outcome] = field(default_factory=dict)
    """A fix card's model fix, compiled (and run when it has `stdout`)."""

    def code_units(self, run_foreign: bool) -> list[_Unit]:
        runs = run_foreign or is_shipped(self.path)
        units = []
        for index, card in enumerate(self.deck.cards):
            if card.kind.has_code:
                mode = "run" if card.kind is Kind.OUTPUT and runs else "compile"
                units.append(_Unit(self, index, _Job(card.code, card.edition, mode)))
            if card.kind is Kind.FIX:
                mode = "run" if card.stdout is not None and runs else "compile"
                job = _Job(card.fixed, card.edition, mode)
                units.append(_Unit(self, index, job, "fixed"))
        return units

    def judge(self, index: int, card: Card, version: str | None, write: bool) -> _Verdict:
        verdict = _Verdict()
        where = str(self.path)
        problems = list(self.card_problems.get(index, []))
        outcome = self.outcomes.get(index)
        fresh: Checked | None = None
        fixed = self.fixed_outcomes.get(index)
        if outcome is not None and version is not None:
            problems += _judge_code(card, outcome)
            if fixed is not None:
                problems += _judge_fixed(card, fixed)
            if outcome.compile is not None and not outcome.error:
                fresh = _fresh_checked(card, outcome, version, fixed)
            compiled = outcome.compile is not None and outcome.compile.success
            if card.kind is Kind.OUTPUT and outcome.run is None and compiled and not problems:
                verdict.skips.append(Finding(where, card.id, NEEDS_RUN))
            fix_ran = fixed is not None and fixed.run is not None
            if card.kind is Kind.FIX and card.stdout is not None and not fix_ran and not problems:
                verdict.skips.append(Finding(where, card.id, NEEDS_RUN))
        stale = _stale(card, fresh, version)
        if write and not problems and fresh is not None:
            if fresh != card.checked:
                verdict.new_checked = fresh
            stale = []
        verdict.failures.extend(Finding(where, card.id, p) for p in problems + stale)
        return verdict


class _Runner:
    """Asks rustc for every job not in the cache, in parallel, and files the outcomes."""

    def __init__(self, compiler: str, version: str, cache: _ResultCache, run_timeout: float):
        self.compiler = compiler
        self.version = version
        self.cache = cache
        self.run_timeout = run_timeout
        self.compiles = 0
        self._lock = threading.Lock()

    def execute(self, units: list[_Unit], jobs: int, progress: ProgressCallback | None) -> int:
        by_job: dict[_Job, list[_Unit]] = {}
        for unit in units:
            by_job.setdefault(unit.job, []).append(unit)
        done = 0
        total = len(units)

        def file(job: _Job, outcome: _Outcome) -> None:
            nonlocal done
            for unit in by_job[job]:
                filed = unit.deck.fixed_outcomes if unit.part == "fixed" else unit.deck.outcomes
                filed[unit.index] = outcome
            done += len(by_job[job])
            if progress is not None:
                progress(done, total)

        pending: dict[Future[_Outcome], _Job] = {}
        with ThreadPoolExecutor(max_workers=max(1, jobs), thread_name_prefix="verify") as pool:
            for job in by_job:
                cached = self.cache.get(self._key(job))
                if cached is not None:
                    file(job, cached)
                else:
                    pending[pool.submit(self._ask, job)] = job
            for future in as_completed(pending):
                job = pending[future]
                outcome = future.result()
                if outcome.cacheable:
                    self.cache.put(self._key(job), outcome)
                file(job, outcome)
        return self.compiles

    def _key(self, job: _Job) -> str:
        blob = json.dumps([CACHE_FORMAT, job.code, job.edition, self.version, job.mode])
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()

    def _ask(self, job: _Job) -> _Outcome:
        with self._lock:
            self.compiles += 1
        try:
            if job.mode == "run":
                done = rustc.run(
                    job.code, job.edition, timeout=self.run_timeout, rustc=self.compiler
                )
                return _Outcome(done.compile, done.run)
            return _Outcome(rustc.check(job.code, job.edition, rustc=self.compiler))
        except (rustc.RustcTimeout, rustc.RustcLimit) as exc:
            return _Outcome(error=str(exc))


def _judge_code(card: Card, outcome: _Outcome) -> list[str]:
    if outcome.error or outcome.compile is None:
        return [outcome.error or "rustc gave no answer"]
    if card.kind is Kind.COMPILES:
        return _judge_compiles(card, outcome.compile)
    if card.kind is Kind.FIX:
        return [f"the given code: {p}" for p in _judge_errors(card, outcome.compile)]
    return _judge_output(card, outcome.compile, outcome.run)


def _judge_compiles(card: Card, compiled: rustc.CompileResult) -> list[str]:
    if card.compiles:
        if compiled.success:
            return []
        return [f"expected it to compile, rustc gave {_gave(compiled)}"]
    return _judge_errors(card, compiled)


def _judge_errors(card: Card, compiled: rustc.CompileResult) -> list[str]:
    """A card whose code must not compile: its codes, its codeless messages, its line."""
    expected = sorted(set(card.errors))
    wanted = _expected_errors(card)
    if compiled.success:
        return [f"expected {wanted}, but it compiles"]
    problems = []
    if list(compiled.error_codes) != expected:
        problems.append(f"expected {wanted}, rustc gave {_gave(compiled)}")
    # Codeless errors are compared only when the card names some: older cards predate them.
    elif card.messages:
        given = sorted({m.strip() for m in compiled.uncoded_errors})
        if given != sorted(set(card.messages)):
            problems.append(f"expected {wanted}, rustc gave {_gave(compiled)}")
    elif not expected:
        problems.append(f"expected {wanted}, rustc gave {_gave(compiled)}")
    if card.line is not None:
        blamed = compiled.primary_lines[0] if compiled.primary_lines else 0
        if blamed != card.line:
            where = f"line {blamed}" if blamed else "no line"
            problems.append(
                f"expected rustc to blame line {card.line}, its first error is at {where}"
            )
    return problems


def _expected_errors(card: Card) -> str:
    parts = [f"errors {_codes(sorted(set(card.errors)))}"] if card.errors else []
    parts += [f"an error without a code: {_show(m)}" for m in card.messages]
    return " and ".join(parts) or "errors"


def _judge_fixed(card: Card, outcome: _Outcome) -> list[str]:
    """The model fix of a fix card compiles (and prints `stdout` when run)."""
    if outcome.error or outcome.compile is None:
        return [f"the fix: {outcome.error or 'rustc gave no answer'}"]
    if not outcome.compile.success:
        return [f"the fix does not compile: rustc gave {_gave(outcome.compile)}"]
    if card.stdout is None or outcome.run is None:
        return []
    ran = outcome.run
    if ran.timed_out or ran.truncated or ran.panicked or ran.exit_code != 0:
        return [f"the fix does not run cleanly: {ran.panic_message or f'exit {ran.exit_code}'}"]
    if normalize_output(ran.stdout) != normalize_output(card.stdout):
        return [f"the fix: expected stdout {_show(card.stdout)}, got {_show(ran.stdout)}"]
    return []


def _same_output(printed: str, expected: str) -> bool:
    """As the app grades a learner's answer (`grading.normalize_output`): line endings,
    trailing spaces and final newlines do not count, so `stdout = "hi"` matches `hi\n`."""
    return normalize_output(printed) == normalize_output(expected)


def _judge_output(
    card: Card, compiled: rustc.CompileResult, ran: rustc.RunResult | None
) -> list[str]:
    if not compiled.success:
        return [f"expected it to compile and run, rustc gave {_gave(compiled)}"]
    if ran is None:
        return []
    if ran.timed_out:
        return ["the program did not finish (killed by the timeout)"]
    if ran.truncated:
        return [f"the program printed more than {rustc.OUTPUT_CAP} bytes (killed)"]
    if card.panics:
        if not ran.panicked:
            return [f"expected a panic, but it exited with code {ran.exit_code}"]
        if card.stdout is not None and not _same_output(ran.stdout, card.stdout):
            return [
                f"expected stdout {_show(card.stdout)} before the panic, got {_show(ran.stdout)}"
            ]
        return []
    if ran.panicked:
        return [f"expected no panic, but it panicked: {ran.panic_message}"]
    if ran.exit_code != 0:
        return [f"expected exit code 0, the program exited with {ran.exit_code}"]
    if not _same_output(ran.stdout, card.stdout or ""):
        return [f"expected stdout {_show(card.stdout or '')}, got {_show(ran.stdout)}"]
    return []


def _fresh_checked(
    card: Card, outcome: _Outcome, version: str, fixed: _Outcome | None = None
) -> Checked | None:
    """What `--write` would store now; None when this run could not see it all (not run).

    A fix card stores the given code's diagnostic and, when it has `stdout`, what the model
    fix printed.
    """
    assert outcome.compile is not None
    if card.kind is Kind.OUTPUT and outcome.run is None:
        return None
    if card.kind is Kind.FIX:
        if fixed is None or (card.stdout is not None and fixed.run is None):
            return None
        return Checked(
            rustc=version,
            diagnostic="" if outcome.compile.success else outcome.compile.diagnostic,
            output=fixed.run.stdout if fixed.run is not None else "",
            digest=card_digest(card),
        )
    return Checked(
        rustc=version,
        diagnostic="" if outcome.compile.success else outcome.compile.diagnostic,
        output=outcome.run.stdout if outcome.run is not None else "",
        digest=card_digest(card),
    )


def _stale(card: Card, fresh: Checked | None, version: str | None) -> list[str]:
    stored = card.checked
    if stored is None or not card.kind.has_code:
        return []
    hint = "; run `quizapp verify --write`"
    if stored.digest != card_digest(card):
        return [
            "stale [cards.checked]: its digest does not match the card's code, edition "
            f"and answer{hint}"
        ]
    if fresh is None or stored.rustc != version:
        return []
    if stored.diagnostic != fresh.diagnostic:
        return [f"stale [cards.checked]: {version} now gives a different diagnostic{hint}"]
    if stored.output != fresh.output:
        return [f"stale [cards.checked]: {version} now gives a different output{hint}"]
    return []


def _codes(codes: Iterable[str]) -> str:
    return "[" + ", ".join(codes) + "]"


def _gave(compiled: rustc.CompileResult) -> str:
    if compiled.success:
        return "no error"
    text = _codes(compiled.error_codes)
    uncoded = compiled.uncoded_errors
    if uncoded:
        more = f" (+{len(uncoded) - 1} more)" if len(uncoded) > 1 else ""
        text += f" and an error without a code: {_show(uncoded[0])}{more}"
    return text


def _show(text: str, limit: int = 200) -> str:
    shown = repr(text)
    return shown if len(shown) <= limit else shown[: limit - 5] + "...'"


class _ResultCache:
    """A JSON file of rustc outcomes keyed by sha256; `path=None` caches nothing."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.hits = 0
        self._entries: dict[str, dict[str, Any]] = {}
        self._dirty = False
        self._lock = threading.Lock()
        if path is not None:
            self._entries = self._load(path)

    @staticmethod
    def _load(path: Path) -> dict[str, dict[str, Any]]:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("format") != CACHE_FORMAT:
            return {}
        entries = data.get("entries")
        return entries if isinstance(entries, dict) else {}

    def get(self, key: str) -> _Outcome | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        try:
            outcome = _Outcome.from_json(entry["result"])
        except (KeyError, TypeError, ValueError):
            return None
        with self._lock:
            entry["used"] = time.time()
            self.hits += 1
            self._dirty = True
        return outcome

    def put(self, key: str, outcome: _Outcome) -> None:
        if self.path is None:
            return
        with self._lock:
            self._entries[key] = {"used": time.time(), "result": outcome.to_json()}
            self._dirty = True

    def save(self) -> None:
        """Write atomically; a cache that cannot be written only costs time next run."""
        if self.path is None or not self._dirty:
            return
        newest = sorted(self._entries.items(), key=lambda kv: kv[1].get("used", 0), reverse=True)
        data = {"format": CACHE_FORMAT, "entries": dict(newest[:CACHE_MAX_ENTRIES])}
        with contextlib.suppress(OSError):
            _atomic_write(self.path, json.dumps(data, separators=(",", ":")))


def write_checked(path: Path, updates: dict[int, Checked]) -> None:
    """Rewrite `[cards.checked]` of the given cards, leaving every other byte of the file as is.

    tomlkit keeps comments, layout and string styles of what it does not touch.
    """
    import tomlkit

    original = path.read_bytes().decode("utf-8")  # not read_text: keep CRLF as it is
    doc = tomlkit.parse(original)
    cards = doc["cards"]
    last = len(cards) - 1
    for index, checked in updates.items():
        cards[index]["checked"] = _checked_table(checked, trailing_blank=index != last)
    text = doc.as_string()
    if not original.endswith("\n\n"):
        text = text.rstrip("\n") + "\n"
    _atomic_write(path, text)


def _checked_table(checked: Checked, *, trailing_blank: bool) -> Any:
    import tomlkit

    table = tomlkit.table()
    table["rustc"] = checked.rustc
    for key in ("diagnostic", "output"):
        value: str = getattr(checked, key)
        if value:
            table[key] = tomlkit.string(value, multiline="\n" in value)
    table["digest"] = checked.digest
    if trailing_blank:
        table.add(tomlkit.nl())
    return table


def _atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
