"""The main window's menu titles, in the order its menu bar shows them.

One list, because two windows show them: the main window, whose modules each add their
own menu under its title, and the deck list painted before the collection opens
(`ui.first_paint`), whose bar holds the same titles with nothing under them yet, so that the
list does not move down by a menu bar's height when the main window takes its place.
"""

from __future__ import annotations

FILE = "&File"
EDIT = "&Edit"
GO = "&Go"
STUDY = "S&tudy"
TOOLS = "T&ools"
HELP = "&Help"

IN_ORDER = (FILE, EDIT, GO, STUDY, TOOLS, HELP)
