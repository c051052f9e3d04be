"""Where quizapp touches the world outside Python: files, archives, SQLite files that are not
the collection, the environment. `quizapp.core` stays pure and never imports these; the
layers above core call them.
"""
