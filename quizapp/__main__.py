"""`python -m quizapp` behaves exactly like the `quizapp` command."""

from quizapp.cli import main

raise SystemExit(main())
