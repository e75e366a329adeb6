"""`python -m desktop.cli`: the `spanwise` command (launcher entries use this form)."""

from desktop.cli.main import main

raise SystemExit(main())
