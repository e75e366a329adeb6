"""Every function over 60 lines in db/ and desktop/ says why it is long.

A long function is sometimes the clearest form (a table of options, one pass that shares its
maps, a loop of questions); one that grows by accident is not. The reason is a comment in the
function starting "# Long because", which a reviewer reads beside the code.
"""

from __future__ import annotations

from tests.structure.long_functions import LIMIT, long_functions


def test_every_long_function_gives_its_reason() -> None:
    unexplained = [
        f"{f.path}:{f.name} ({f.lines} lines)" for f in long_functions() if not f.has_reason
    ]
    assert unexplained == [], f"over {LIMIT} lines without a '# Long because' comment"
