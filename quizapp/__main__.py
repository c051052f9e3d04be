"""`python -m quizapp` behaves exactly like the `quizapp` command."""

from quizapp.app import main

raise SystemExit(main())
