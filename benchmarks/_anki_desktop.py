"""Anki's desktop start, timed to its deck list: run by a Python that has `aqt` installed.

    python _anki_desktop.py BASE_DIR STARTED [setup]

`aqt` (PyQt6 + Qt WebEngine, AGPL) is not in quizapp's environment; `vs_anki.py
--anki-desktop PYTHON` runs this file with an interpreter that has it. The time runs from
STARTED (the parent's clock just before it started this process, as for quizapp's window)
to the deck browser's page having loaded in its web view, the deck list with its counts
then on screen; the process then exits at once (no close, no backup). `setup` is for the
first run in a fresh BASE_DIR only: it creates the profile with English chosen instead of
showing the first-run language dialog.
"""

import json
import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox --disable-gpu")
os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")

import aqt
from aqt import gui_hooks

BASE, STARTED = sys.argv[1], float(sys.argv[2])
seen: dict[str, float] = {}


def peak_mib() -> float:
    with open("/proc/self/status") as status:
        lines = status.read().splitlines()
    for line in lines:
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def rendered(browser: object) -> None:
    if "rendered" in seen:
        return
    seen["rendered"] = time.time() - STARTED

    def loaded(ok: bool) -> None:
        seen["seconds"] = time.time() - STARTED
        seen["peak_mib"] = peak_mib()
        print(json.dumps(seen), flush=True)
        os._exit(0)

    browser.web.loadFinished.connect(loaded)  # type: ignore[attr-defined]


gui_hooks.deck_browser_did_render.append(rendered)
if "setup" in sys.argv[3:]:
    import aqt.profiles

    aqt.profiles.ProfileManager.setDefaultLang = (  # type: ignore[method-assign]
        lambda self, idx: self.setLang("en_US")
    )
sys.argv = ["anki", "-b", BASE]
aqt.run()
