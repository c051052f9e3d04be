"""Use cases: each public function is one transaction and returns what changed.

The window and the command line both call these; neither talks to storage directly.
"""
