"""Team decks from git: subscribe to a repository of deck files, update from it, publish to one.

A team keeps its decks in a git repository and reviews them in pull requests
(docs/teams.md). A learner subscribes: the repository is cloned into the data directory
(`subscriptions/<name>`), its deck files are read, and they go through the same import
pipeline as `quizapp import` (`services.exchange`): the same preview, cards matched by
UUID so progress stays with each card, removed cards retired with their history kept.
Updating fetches, previews what changed since the collection last took the decks, and
applies only when asked.

Decks that came from a subscription say so in `deck.source` (`git:<url>`), which is not
`shipped:`; Try it and `verify --run` therefore treat their code as foreign and run it
only with the learner's consent, like any deck someone handed over.

The subscriptions themselves (url, branch, the commit last applied, when) are one settings
entry rather than a table: a handful of rows that nothing queries, and no schema step.

Writes to the database: `apply_subscription` (`exchange.apply_import`'s one transaction,
then `record_subscription`), `record_subscription`, `mark_up_to_date` and
`forget_subscription` (one transaction each).
Git work (clone, fetch, commit) is done by the system `git` when there is one, else by
dulwich (pure Python), so a machine without git can still subscribe.
"""

from __future__ import annotations

import fnmatch
import re
import shutil
from dataclasses import dataclass, replace
from datetime import UTC
from pathlib import Path
from typing import Any

from quizapp.core.bundle import Bundle, ImportFailed
from quizapp.core.changes import Changes
from quizapp.core.model import Deck
from quizapp.core.sources import SHIPPED_PREFIX
from quizapp.services import gitrepo, ops
from quizapp.services.collection import Collection
from quizapp.services.exchange import (
    ImportPlan,
    ImportResult,
    apply_import,
    load_deck,
    plan_import,
    summarize_plan,
)
from quizapp.services.importers import read_bundle
from quizapp.storage import repo

SOURCE_PREFIX = "git:"
SETTING_KEY = "deck_subscriptions"
MANIFEST = "quizapp-decks.toml"
CLONES = "subscriptions"
"""Folder of the data directory that holds one clone per subscription."""


class SubscriptionError(Exception):
    """A subscription cannot be made or updated; the message says why, nothing was changed."""


@dataclass(frozen=True)
class Subscription:
    name: str
    url: str
    branch: str = ""
    """Empty: the remote's default branch."""
    commit: str = ""
    """The commit whose decks the collection last took."""
    updated_at: str = ""
    """When they were taken (ISO 8601, UTC)."""
    decks: tuple[str, ...] = ()
    """UUIDs of the decks taken from it, so a deck file deleted upstream is noticed."""

    @property
    def source(self) -> str:
        return SOURCE_PREFIX + self.url

    def to_data(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "url": self.url,
            "branch": self.branch,
            "commit": self.commit,
            "updated_at": self.updated_at,
            "decks": list(self.decks),
        }


@dataclass(frozen=True)
class Pending:
    """A fetched repository and what taking its decks would do; nothing written yet."""

    subscription: Subscription
    """As it will be recorded once applied (new commit, decks)."""
    plan: ImportPlan
    commit: str
    new: bool
    """A new subscription rather than an update."""

    @property
    def changes_anything(self) -> bool:
        return self.new or any(d.touches_anything for d in self.plan.decks)

    def summary(self) -> list[str]:
        """The preview `quizapp import` prints, headed by the repository and commit."""
        head = f"{self.subscription.name} ({self.subscription.url}"
        head += f", branch {self.subscription.branch})" if self.subscription.branch else ")"
        lines = [f"{head} at {self.commit[:12]}"]
        lines += [f"  {line}" for line in summarize_plan(self.plan)]
        if not any(d.touches_anything for d in self.plan.decks):
            lines.append("  nothing changed since the last update")
        return lines


# ---------------------------------------------------------------- reading the records


def list_subscriptions(col: Collection) -> list[Subscription]:
    with col.db.session() as session:
        stored = repo.get_setting(SETTING_KEY, session=session)
    return [_from_data(item) for item in stored or [] if isinstance(item, dict)]


def _from_data(item: dict[str, Any]) -> Subscription:
    return Subscription(
        name=str(item.get("name", "")),
        url=str(item.get("url", "")),
        branch=str(item.get("branch", "") or ""),
        commit=str(item.get("commit", "")),
        updated_at=str(item.get("updated_at", "")),
        decks=tuple(str(d) for d in item.get("decks", []) or []),
    )


def find_subscription(col: Collection, name_or_url: str) -> Subscription:
    for sub in list_subscriptions(col):
        if name_or_url in (sub.name, sub.url):
            return sub
    raise SubscriptionError(f"no subscription called {name_or_url!r} (see `quizapp decks list`)")


def clone_dir(col: Collection, name: str) -> Path:
    return col.data_dir / CLONES / name


# ---------------------------------------------------------------- subscribe and update


def prepare_subscribe(col: Collection, url: str, *, branch: str = "", name: str = "") -> Pending:
    """Clone `url` and plan importing its decks; the collection is not touched.

    A local path is made absolute, so the subscription still works from another folder.
    """
    url = _normal_url(url)
    existing = list_subscriptions(col)
    if any(s.url == url for s in existing):
        raise SubscriptionError(f"{url}: already subscribed; use `quizapp decks update`")
    name = name or _name_for(url, {s.name for s in existing})
    if any(s.name == name for s in existing):
        raise SubscriptionError(f"a subscription is already called {name!r}")
    target = clone_dir(col, name)
    if target.exists():  # a clone left by a subscription that was declined or failed
        shutil.rmtree(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        commit = gitrepo.clone(url, target, branch=branch)
    except gitrepo.GitError as exc:
        shutil.rmtree(target, ignore_errors=True)
        raise SubscriptionError(f"{url}: {exc}") from exc
    sub = Subscription(name=name, url=url, branch=branch)
    return _prepare(col, sub, target, commit, new=True)


def prepare_update(col: Collection, sub: Subscription) -> Pending:
    """Fetch the subscription's branch and plan taking its decks; the collection is untouched."""
    target = clone_dir(col, sub.name)
    try:
        if not gitrepo.is_repository(target):
            shutil.rmtree(target, ignore_errors=True)
            target.parent.mkdir(parents=True, exist_ok=True)
            commit = gitrepo.clone(sub.url, target, branch=sub.branch)
        else:
            commit = gitrepo.fetch(target, branch=sub.branch)
    except gitrepo.GitError as exc:
        raise SubscriptionError(f"{sub.name}: {exc}") from exc
    return _prepare(col, sub, target, commit, new=False)


def _prepare(
    col: Collection, sub: Subscription, folder: Path, commit: str, *, new: bool
) -> Pending:
    decks = read_decks(folder)
    present = {d.id for d in decks}
    # A deck file deleted upstream: its deck is planned with no cards, so its cards are
    # retired (history kept) and the preview lists them as removed.
    gone = [_emptied(col, uuid) for uuid in sub.decks if uuid not in present]
    bundle = Bundle(decks=tuple(decks) + tuple(d for d in gone if d is not None), source=sub.url)
    _refuse_foreign_decks(col, bundle, sub)
    plan = plan_import(col, bundle, source=sub.source)
    if not plan.ok:
        raise SubscriptionError("\n".join(plan.errors))
    taken = tuple(d.id for d in decks)
    return Pending(
        subscription=replace(sub, commit=commit, decks=taken),
        plan=plan,
        commit=commit,
        new=new,
    )


def apply_subscription(col: Collection, pending: Pending) -> ImportResult:
    """Take the decks (one import transaction, a backup first if it alters anything), then
    record the subscription. Raises `ImportFailed` if the collection moved since the plan."""
    result = apply_import(col, pending.plan)
    record_subscription(col, replace(pending.subscription, updated_at=_now(col)))
    return result


def mark_up_to_date(col: Collection, pending: Pending) -> None:
    """Nothing to take: remember the fetched commit and the time. One transaction."""
    record_subscription(col, replace(pending.subscription, updated_at=_now(col)))


def record_subscription(col: Collection, sub: Subscription) -> None:
    """Add or replace the record of `sub` (matched by name). One transaction."""

    def write(op: ops.Op) -> None:
        stored = repo.get_setting(SETTING_KEY, session=op.session) or []
        kept = [s for s in stored if isinstance(s, dict) and s.get("name") != sub.name]
        repo.put_setting(SETTING_KEY, [*kept, sub.to_data()], session=op.session)
        op.changed(Changes(settings=True))

    ops.run(col, f"Subscribe to {sub.name}", write)


def forget_subscription(col: Collection, name: str) -> bool:
    """Drop the record and the clone; the decks and their history stay. One transaction."""

    def write(op: ops.Op) -> bool:
        stored = repo.get_setting(SETTING_KEY, session=op.session) or []
        kept = [s for s in stored if isinstance(s, dict) and s.get("name") != name]
        if len(kept) == len(stored):
            return False
        repo.put_setting(SETTING_KEY, kept, session=op.session)
        op.changed(Changes(settings=True))
        return True

    if not ops.run(col, f"Unsubscribe from {name}", write):
        return False
    shutil.rmtree(clone_dir(col, name), ignore_errors=True)
    return True


def discard(col: Collection, pending: Pending) -> None:
    """The learner declined a new subscription: remove its clone (an update's clone stays)."""
    if pending.new:
        shutil.rmtree(clone_dir(col, pending.subscription.name), ignore_errors=True)


def read_decks(folder: Path) -> list[Deck]:
    """The deck files of a repository: those its manifest lists, else every *.toml deck file.

    Without a manifest, a .toml file that is not a quizapp deck (no `[deck]` table: a
    Cargo.toml, a CI config) is passed over; a deck file with a mistake is an error that
    names the file and line, and nothing is imported.
    """
    files = _manifest_files(folder)
    if files is None:
        files = [p for p in _toml_files(folder) if _looks_like_deck(p)]
    decks: list[Deck] = []
    for path in files:
        try:
            bundle = read_bundle(path)
        except ImportFailed as exc:
            raise SubscriptionError(str(exc)) from exc
        decks += bundle.decks
    return decks


def _manifest_files(folder: Path) -> list[Path] | None:
    """`quizapp-decks.toml`: `decks = ["ownership.toml", "team/*.toml"]`, paths from the root."""
    import tomllib

    manifest = folder / MANIFEST
    if not manifest.is_file():
        return None
    try:
        data = tomllib.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SubscriptionError(f"{MANIFEST}: cannot read it: {exc}") from exc
    patterns = data.get("decks")
    if not isinstance(patterns, list) or not all(isinstance(p, str) for p in patterns):
        raise SubscriptionError(f'{MANIFEST}: decks must be a list of paths, e.g. ["*.toml"]')
    root = folder.resolve()
    files: list[Path] = []
    for pattern in patterns:
        matches = (
            sorted(folder.glob(pattern)) if any(c in pattern for c in "*?[") else [folder / pattern]
        )
        if not matches:
            raise SubscriptionError(f"{MANIFEST}: {pattern!r} names no file")
        for path in matches:
            if not path.resolve().is_relative_to(root):
                raise SubscriptionError(f"{MANIFEST}: {pattern!r} leaves the repository")
            if path not in files and path.name != MANIFEST:
                files.append(path)
    return files


def _toml_files(folder: Path) -> list[Path]:
    out = []
    for path in sorted(folder.rglob("*.toml")):
        parts = path.relative_to(folder).parts
        if any(p.startswith(".") for p in parts) or fnmatch.fnmatch(path.name, MANIFEST):
            continue
        out.append(path)
    return out


def _looks_like_deck(path: Path) -> bool:
    import tomllib

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return True  # read_bundle then says what is wrong with it, naming the line
    return isinstance(data.get("deck"), dict)


def _emptied(col: Collection, deck_uuid: str) -> Deck | None:
    try:
        deck = load_deck(col, deck_uuid)
    except LookupError:
        return None
    return replace(deck, cards=())


def _refuse_foreign_decks(col: Collection, bundle: Bundle, sub: Subscription) -> None:
    """A repository may not take over a shipped deck or another subscription's deck."""
    with col.db.session() as session:
        for deck in bundle.decks:
            row = repo.get_deck_by_uuid(deck.id, session=session)
            if row is None or row.source == sub.source:
                continue
            if row.source.startswith(SHIPPED_PREFIX):
                raise SubscriptionError(
                    f"{sub.url}: the deck {deck.name!r} has the id of the shipped deck "
                    f"{row.name!r}; a team deck needs its own id"
                )
            if row.source.startswith(SOURCE_PREFIX):
                raise SubscriptionError(
                    f"{sub.url}: the deck {deck.name!r} already comes from "
                    f"{row.source.removeprefix(SOURCE_PREFIX)}"
                )


def _normal_url(url: str) -> str:
    path = Path(url).expanduser()
    if "://" not in url and not re.match(r"^[\w.-]+@[\w.-]+:", url) and path.exists():
        return str(path.resolve())
    return url


def _name_for(url: str, taken: set[str]) -> str:
    stem = re.sub(r"\.git$", "", url.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1])
    base = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip(".-") or "decks"
    name, n = base, 2
    while name in taken:
        name, n = f"{base}-{n}", n + 1
    return name


def _now(col: Collection) -> str:
    return col.now().astimezone(UTC).isoformat(timespec="seconds")


# ---------------------------------------------------------------- publish


@dataclass(frozen=True)
class Published:
    written: tuple[Path, ...]
    """Deck files whose content changed (new or rewritten)."""
    commit: str | None
    """The new commit, or None when every file was already up to date."""


def publishable_decks(col: Collection) -> list[tuple[str, str]]:
    """(uuid, name) of the learner's own decks: neither shipped nor from a subscription."""
    with col.db.session() as session:
        rows = repo.list_decks(session=session)
    return [
        (r.uuid, r.name)
        for r in rows
        if not r.source.startswith(SHIPPED_PREFIX) and not r.source.startswith(SOURCE_PREFIX)
    ]


def publish(
    col: Collection, folder: Path, deck_uuids: list[str] | None = None, *, message: str = ""
) -> Published:
    """Write decks as canonical deck files into the repository at `folder` and commit them.

    A deck already in the folder (a file with its `[deck] id`) is rewritten in place, so a
    renamed deck keeps its file; a new one gets `<name>.toml`. Pushing is left to the
    learner's git. `folder` is made a repository if it is not in one. Reads the collection
    only.
    """
    from quizapp.services.deckfmt import format_deck
    from quizapp.services.importers import write_atomically

    own = dict(publishable_decks(col))
    uuids = list(own) if deck_uuids is None else deck_uuids
    for uuid in uuids:
        with col.db.session() as session:
            row = repo.get_deck_by_uuid(uuid, session=session)
        if row is None:
            raise SubscriptionError(f"no deck with id {uuid}")
        if row.source.startswith(SHIPPED_PREFIX):
            raise SubscriptionError(f"{row.name!r} ships with quizapp; publish your own decks")
    if not uuids:
        raise SubscriptionError(
            "no decks of your own to publish (shipped and subscribed decks are not)"
        )
    folder.mkdir(parents=True, exist_ok=True)
    try:
        if not gitrepo.is_repository(folder):
            gitrepo.init(folder)
    except gitrepo.GitError as exc:
        raise SubscriptionError(f"{folder}: {exc}") from exc
    by_id = _deck_files_by_id(folder)
    used = {p.name for p in folder.glob("*.toml")}
    written: list[Path] = []
    for uuid in uuids:
        deck = load_deck(col, uuid)
        path = by_id.get(uuid)
        if path is None:
            path = folder / _file_name(deck.name, used)
            used.add(path.name)
        text = format_deck(deck).encode("utf-8")
        if path.is_file() and path.read_bytes() == text:
            continue
        write_atomically(path, text)
        written.append(path)
    if not written:
        return Published(written=(), commit=None)
    names = ", ".join(load_deck(col, u).name for u in uuids)
    try:
        commit = gitrepo.commit(folder, written, message or f"Publish decks from quizapp: {names}")
    except gitrepo.GitError as exc:
        raise SubscriptionError(f"{folder}: {exc}") from exc
    return Published(written=tuple(written), commit=commit)


def _deck_files_by_id(folder: Path) -> dict[str, Path]:
    import tomllib

    found: dict[str, Path] = {}
    for path in _toml_files(folder):
        try:
            deck = tomllib.loads(path.read_text(encoding="utf-8")).get("deck")
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            continue
        if isinstance(deck, dict) and isinstance(deck.get("id"), str):
            found.setdefault(deck["id"].lower(), path)
    return found


def _file_name(name: str, used: set[str]) -> str:
    stem = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "deck"
    candidate, n = f"{stem}.toml", 2
    while candidate in used:
        candidate, n = f"{stem}-{n}.toml", n + 1
    return candidate
