"""The `spanwise` command line: every subcommand; Qt is loaded only when the window opens."""
