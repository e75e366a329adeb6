"""User text is never markup: the helpers every widget uses to show it literally."""

from __future__ import annotations

import html


def tooltip_text(text: str) -> str:
    """Tooltips guess at rich text; give them escaped rich text so user text stays literal."""
    return "<qt>" + html.escape(text).replace("\n", "<br>") + "</qt>"
