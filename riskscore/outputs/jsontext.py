"""Indented, sorted JSON text, byte for byte as ``json.dumps(..., indent=2, sort_keys=True,
ensure_ascii=False, allow_nan=False)`` writes it after ``jsonable`` (NaN/inf as null, dates
as ISO strings, numpy scalars as numbers).

Why not ``json.dumps`` itself: with ``indent`` set, the standard library falls back to its
pure-Python encoder, which spends about 2 microseconds per value; the JSON of 80,000
entities has some five million values. This writer does the conversion and the encoding
in one pass, with a string-building step per value and the C string escaper, about five
times faster. ``tests/outputs/test_jsontext.py`` holds it to ``json.dumps`` on varied payloads.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from json.encoder import encode_basestring
from typing import Any

INDENT = "  "


def dumps(payload: Any) -> str:
    """``payload`` as indented JSON text (no trailing newline); see the module docstring.

    Raises TypeError for a value JSON cannot hold (as ``json.dumps`` does).
    """
    chunks: list[str] = []
    _write(payload, chunks, "\n")
    return "".join(chunks)


def pieces(payload: Any) -> Iterator[str]:
    """``dumps(payload)`` in pieces, one per item of each list at the top level of a
    mapping; such a list may be an iterator, whose items are made as they are written
    (so 80,000 results need not all be held at once)."""
    if not isinstance(payload, Mapping) or not payload:
        yield dumps(payload)
        return
    opening, between = "{\n" + INDENT, ",\n" + INDENT
    for key, value in sorted({str(k): v for k, v in payload.items()}.items()):
        head = opening + encode_basestring(key) + ": "
        opening = between
        if not isinstance(value, list | tuple | Iterator):
            out = [head]
            _write(value, out, "\n" + INDENT)
            yield "".join(out)
            continue
        start, inner = "[", "\n" + INDENT * 2
        for item in value:
            out = [head + start + inner]
            head, start = "", ","
            _write(item, out, inner)
            yield "".join(out)
        yield head + "[]" if start == "[" else "\n" + INDENT + "]"
    yield "\n}"


_NOT_FINITE = frozenset({"inf", "-inf", "nan"})


def _leaf(value: Any) -> str | None:
    """The text of a str, float, None or int (the common values), else None."""
    kind = type(value)
    if kind is float:
        text = float.__repr__(value)
        return "null" if text in _NOT_FINITE else text
    if kind is str:
        return encode_basestring(value)
    if value is None:
        return "null"
    if kind is int:
        return int.__repr__(value)
    return None


def _write(value: Any, out: list[str], newline: str) -> None:
    """Append ``value``'s text to ``out``; ``newline`` is a line break plus the current indent."""
    if (text := _leaf(value)) is not None:
        out.append(text)
    elif isinstance(value, str):
        out.append(encode_basestring(value))
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, float):
        out.append(float.__repr__(value) if math.isfinite(value) else "null")
    elif isinstance(value, int):
        out.append(int.__repr__(value))
    elif isinstance(value, Mapping):
        if not value:
            out.append("{}")
            return
        inner = newline + INDENT
        opening = "{" + inner
        between = "," + inner
        for key, item in sorted({str(k): v for k, v in value.items()}.items()):
            head = opening + encode_basestring(key) + ": "
            opening = between
            if (text := _leaf(item)) is not None:
                out.append(head + text)
            else:
                out.append(head)
                _write(item, out, inner)
        out.append(newline + "}")
    elif isinstance(value, list | tuple):
        if not value:
            out.append("[]")
            return
        inner = newline + INDENT
        opening = "[" + inner
        between = "," + inner
        for item in value:
            if (text := _leaf(item)) is not None:
                out.append(opening + text)
            else:
                out.append(opening)
                _write(item, out, inner)
            opening = between
        out.append(newline + "]")
    elif hasattr(value, "isoformat"):
        out.append(encode_basestring(value.isoformat()))
    elif hasattr(value, "item"):  # numpy scalars
        _write(value.item(), out, newline)
    else:
        raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")
