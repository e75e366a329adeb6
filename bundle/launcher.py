"""The bundled executable's entry point: the same `spanwise` command the wheel installs."""

import sys

from desktop.window.fast_start import main

if __name__ == "__main__":
    sys.exit(main())
