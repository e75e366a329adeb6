"""Run a Python module (or `-c` code) and write its peak memory (VmHWM, in kB) to a file.

The parent's ru_maxrss of a child counts the memory of the parent it was forked from (Linux
carries the high-water mark across exec), so a child of a large bench process would seem
large; VmHWM belongs to the program after exec alone.
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path


def peak_kb() -> int:
    for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def main() -> None:
    out, mode, target, *rest = sys.argv[1:]
    try:
        if mode == "-c":
            exec(compile(target, "<bench>", "exec"), {"__name__": "__main__"})  # noqa: S102
        else:
            sys.argv = [target, *rest]
            runpy.run_module(target, run_name="__main__", alter_sys=True)
    finally:
        Path(out).write_text(str(peak_kb()), encoding="ascii")


if __name__ == "__main__":
    main()
