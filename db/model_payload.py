"""A trained suggestion model's payload, checked before anything reads it.

A payload comes from a colleague's export or from the team server, so it is hostile until
checked: it is unpacked only within a bound (a zip bomb is refused, not inflated), parsed as
JSON, and its CRFsuite tagger, which C code reads trusting the offsets in its header, is first
opened and tried in a forked child: a tagger that crashes the child is refused in one line
instead of crashing Spanwise each time suggestions are asked for.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import zlib
from typing import Any

from db.errors import SpanwiseError
from db.schema.quote_definition import parse_suggest_settings

PAYLOAD_FORMAT = 1  # of the JSON inside; the suggester writes and reads this one
MAX_PAYLOAD_BYTES = 64 * 1024 * 1024
_MAX_READ = 4 * MAX_PAYLOAD_BYTES
_READ_FACTOR = 64  # a payload may unpack to at most this many times its size (and _MAX_READ)


def unpack_payload(payload: bytes) -> Any:
    """The payload's JSON, unpacked within a bound; a damaged payload in one line."""
    limit = min(_MAX_READ, _READ_FACTOR * len(payload) + (1 << 20))
    unpack = zlib.decompressobj()
    try:
        raw = unpack.decompress(payload, limit)
    except zlib.error as exc:
        raise SpanwiseError(f"the payload is not a suggestion model ({exc})") from exc
    if unpack.unconsumed_tail:
        raise SpanwiseError("the payload unpacks to more than a suggestion model can hold")
    if not unpack.eof:
        raise SpanwiseError("the payload is cut short")
    try:
        return json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError) as exc:
        raise SpanwiseError(f"the payload is not a suggestion model ({exc})") from exc


def check_payload(payload: bytes) -> None:
    """Refuse, in one line, a payload that is not a model this Spanwise reads."""
    data = unpack_payload(payload)
    if not isinstance(data, dict) or data.get("format") != PAYLOAD_FORMAT:
        found = data.get("format") if isinstance(data, dict) else None
        raise SpanwiseError(
            f"the payload has format {found!r}; this Spanwise reads format {PAYLOAD_FORMAT}"
        )
    parse_suggest_settings(data.get("settings"), "the payload")
    try:
        crf = base64.b64decode(str(data.get("crf")), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise SpanwiseError(f"the payload's tagger is not base64 ({exc})") from exc
    for name in ("cue_weights", "speaker_weights"):
        weights = data.get(name)
        if not isinstance(weights, dict) or not all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in weights.values()
        ):
            raise SpanwiseError(f"the payload's {name} must map names to numbers")
    check_tagger(crf)


def check_tagger(crf: bytes) -> None:
    """Open the CRFsuite tagger and tag a few words in a forked child, so that a crafted
    file that would crash the reader crashes only the child. Where there is no fork
    (Windows), the tagger is opened in this process, as before."""
    if not hasattr(os, "fork"):
        return
    pid = os.fork()
    if pid == 0:  # the child: try the tagger, report by exit status only
        code = 1
        try:
            import pycrfsuite

            tagger = pycrfsuite.Tagger()
            tagger.open_inmemory(crf)
            tagger.tag([{"w=said": 1.0}, {"w=the": 1.0}, {"w=minister": 1.0}])
            tagger.labels()
            code = 0
        except BaseException:
            code = 1
        finally:
            os._exit(code)
    _pid, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        raise SpanwiseError(
            "the suggestion model's tagger is damaged: reading it crashed "
            f"(signal {os.WTERMSIG(status)})"
        )
    if os.WEXITSTATUS(status) != 0:
        raise SpanwiseError("the suggestion model's tagger cannot be read")
