"""quizapp: spaced repetition for Rust systems programming."""

__version__ = "0.1.0"
