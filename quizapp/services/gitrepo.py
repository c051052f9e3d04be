"""The little git a deck subscription needs: clone, fetch a branch, init, commit.

The system `git` does it when it is on the PATH: it knows the learner's credentials,
SSH keys, proxies and identity. Without it dulwich (pure Python) does, so subscribing
works on a machine without git. `QUIZAPP_GIT=dulwich` forces dulwich (the tests run
both). The clones are quizapp's own (`subscriptions/<name>` in the data directory) and
never edited by hand, so an update simply moves the work tree to the fetched commit.

Git never prompts here (no terminal may be waiting for a password): a repository that
needs credentials git does not already have fails with git's own message.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

TIMEOUT = 300.0
"""Seconds for one git command: a clone of a large repository on a slow line."""


class GitError(Exception):
    """Git failed; the message is git's own (or dulwich's)."""


def use_system_git() -> bool:
    return os.environ.get("QUIZAPP_GIT", "") != "dulwich" and shutil.which("git") is not None


def clone(url: str, target: Path, *, branch: str = "") -> str:
    """Clone `url` into `target` (checked out); the commit checked out."""
    if use_system_git():
        _git(
            None,
            "clone",
            "--quiet",
            *(["--branch", branch] if branch else []),
            "--",
            url,
            str(target),
        )
        return head(target)
    from dulwich import porcelain

    try:
        with porcelain.clone(
            url,
            str(target),
            branch=branch or None,
            checkout=True,
            errstream=io.BytesIO(),
        ):
            pass
    except Exception as exc:  # dulwich raises many kinds; all mean "no clone"
        raise GitError(f"cannot clone: {exc}") from exc
    return head(target)


def fetch(repo: Path, *, branch: str = "") -> str:
    """Fetch `branch` (default: the one checked out) from origin and check it out."""
    if use_system_git():
        wanted = branch or _git(repo, "rev-parse", "--abbrev-ref", "HEAD").strip()
        _git(repo, "fetch", "--quiet", "origin", wanted)
        _git(repo, "reset", "--quiet", "--hard", "FETCH_HEAD")
        return head(repo)
    from dulwich import porcelain
    from dulwich.repo import Repo

    try:
        with Repo(str(repo)) as r:
            wanted = branch or porcelain.active_branch(r).decode()
            porcelain.fetch(r, "origin", errstream=io.BytesIO(), quiet=True)
            refs: Any = r.refs  # dulwich's ref type differs between releases
            tip = refs[f"refs/remotes/origin/{wanted}".encode()]
            porcelain.reset(r, "hard", tip)
    except Exception as exc:
        raise GitError(f"cannot fetch: {exc}") from exc
    return head(repo)


def head(repo: Path) -> str:
    if use_system_git():
        return _git(repo, "rev-parse", "HEAD").strip()
    from dulwich.repo import Repo

    with Repo(str(repo)) as r:
        return r.head().decode()


def is_repository(folder: Path) -> bool:
    """Whether `folder` is in a git work tree (its own or an enclosing one)."""
    if use_system_git():
        try:
            _git(folder, "rev-parse", "--show-toplevel")
        except GitError:
            return False
        return True
    from dulwich.repo import Repo

    try:
        with Repo.discover(str(folder)):
            return True
    except Exception:
        return False


def init(folder: Path) -> None:
    if use_system_git():
        _git(None, "init", "--quiet", str(folder))
        return
    from dulwich import porcelain

    porcelain.init(str(folder)).close()


def commit(folder: Path, paths: Sequence[Path], message: str) -> str:
    """Commit exactly `paths` (added if new) in the repository holding `folder`."""
    if use_system_git():
        names = [str(p.resolve()) for p in paths]
        _git(folder, "add", "--", *names)
        _git(folder, "commit", "--quiet", "-m", message, "--", *names)
        return head(folder)
    from dulwich import porcelain
    from dulwich.repo import Repo

    try:
        with Repo.discover(str(folder)) as r:
            root = Path(r.path).resolve()
            porcelain.add(r, [str(p.resolve().relative_to(root)) for p in paths])
            author = _identity()
            return porcelain.commit(r, message.encode(), author=author, committer=author).decode()
    except Exception as exc:
        raise GitError(f"cannot commit: {exc}") from exc


def _identity() -> bytes | None:
    """dulwich reads git's config for the author; the usual variables may also set it."""
    name, email = os.environ.get("GIT_AUTHOR_NAME"), os.environ.get("GIT_AUTHOR_EMAIL")
    return f"{name} <{email}>".encode() if name and email else None


def _git(repo: Path | None, *args: str) -> str:
    command = ["git", *(["-C", str(repo)] if repo is not None else []), *args]
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_ASKPASS": "", "SSH_ASKPASS": ""}
    # ssh asks on the terminal itself (a new host key, a passphrase): batch mode refuses.
    env.setdefault("GIT_SSH_COMMAND", "ssh -o BatchMode=yes")
    try:
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            env=env,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise GitError(f"git {args[0]}: {exc}") from exc
    if done.returncode != 0:
        said = (done.stderr or done.stdout).strip().splitlines()
        raise GitError(f"git {args[0]}: " + (said[-1] if said else f"exit {done.returncode}"))
    return done.stdout
