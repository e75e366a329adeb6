"""The bundled executable's entry point: the same `spanwise` command the wheel installs."""

import sys

from desktop.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
