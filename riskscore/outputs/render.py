"""One place that turns rows into text: table, Markdown, CSV or JSON.

Every command speaks ``--format table|markdown|csv|json``. Markdown goes through
tabulate, every text cell and header escaped by ``riskscore.outputs.escape.md_cell`` (and prose
beside a table by ``prose``); JSON keeps full float precision and sorted, stable keys so that the same
inputs give byte-identical output.

Plain-text tables fit the terminal (``terminal_width``: the width of the terminal
on standard output, error or input, else ``COLUMNS``, else 100): ``fit_table`` wraps
headers and long cells, and when even that cannot fit, lays each row out as a short
record instead. ``wrap_text`` wraps prose with hanging indents and never breaks a
URL, so links stay whole and clickable (a URL longer than the width is the one thing
allowed past it). ``style`` adds colour only
when standard output is a terminal and ``NO_COLOR`` is unset.

Hostile text is escaped for each format: table cells and prose show control and bidi
characters escaped (``escape.visible``); CSV cells also get OWASP's leading ``'`` before
a formula start (``escape.csv_text``); JSON writes C1 and bidi controls as ``\\u`` escapes.
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
import shutil
import sys
import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

from riskscore.outputs.escape import csv_text, json_text, md_cell, md_text, visible

FORMATS = ("table", "markdown", "csv", "json")
DEFAULT_WIDTH = 100
GAP = 2           # spaces between table columns
MIN_TEXT = 10     # the narrowest a wrapped text column gets
_URL = re.compile(r"^\S*(https?://|www\.)\S+$")


def render_rows(rows: Sequence[Mapping[str, Any]], fmt: str,
                columns: Sequence[str] | None = None, floatfmt: str | Mapping[str, str] = ".1f",
                wrap: Mapping[str, int] | None = None) -> str:
    """Render ``rows`` (dicts sharing keys) as ``fmt``; ``columns`` fixes the order.

    ``floatfmt`` is one format for all numbers, or a map from column to format
    (others ".1f"). ``wrap`` maps column names to a width at which the plain-text
    table wraps long cells (Markdown, CSV and JSON are never wrapped).
    """
    if fmt == "json":
        return to_json(list(rows))
    columns = list(columns) if columns is not None else (list(rows[0]) if rows else [])
    if fmt == "csv":
        return to_csv(rows, columns)
    if fmt == "table":
        return fit_table(rows, columns, floatfmt=floatfmt, caps=wrap)
    from tabulate import tabulate

    body = [[_cell(row.get(c), fmt) for c in columns] for row in rows]
    formats: str | list[str] = (floatfmt if isinstance(floatfmt, str)
                                else [floatfmt.get(c, ".1f") for c in columns])
    return tabulate(body, headers=[md_cell(c) for c in columns], tablefmt="github",
                    floatfmt=formats,
                    disable_numparse=False, missingval="—")


# ---- text that fits the terminal ----------------------------------------------------


def terminal_width() -> int:
    """The width of the terminal the user is at: standard output's, else (piped, as in
    ``riskscore score | head``) standard error's or standard input's; else ``COLUMNS``
    if set to a positive number; else 100."""
    for stream in (sys.__stdout__, sys.__stderr__, sys.__stdin__):
        if stream is None:
            continue
        try:
            columns = os.get_terminal_size(stream.fileno()).columns
        except (AttributeError, ValueError, OSError):
            continue
        if columns > 0:
            return columns
    value = os.environ.get("COLUMNS", "")
    if value.strip().isdigit() and int(value) > 0:
        return int(value)
    return DEFAULT_WIDTH


def terminal_height() -> int:
    return shutil.get_terminal_size((DEFAULT_WIDTH, 24)).lines


def colour_enabled() -> bool:
    """Colour only on a terminal, and never when ``NO_COLOR`` is set (https://no-color.org)."""
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def style(text: str, **styles: Any) -> str:
    """``click.style`` on a colour terminal, the text unchanged anywhere else."""
    if not text or not colour_enabled():
        return text
    import click

    return click.style(text, **styles)


def wrap_text(text: str, width: int | None = None, indent: str = "",
              subsequent: str | None = None) -> list[str]:
    """Wrap ``text`` to ``width`` with an ``indent`` (and ``subsequent`` indent for later lines).

    URLs are never broken across lines: one that fits only on a line of its own gets one
    (flush left if it needs the indent's room too), and one longer than the whole line is
    shortened in the middle with '…' to the room after the indent (``elide_url``); the
    full address is in
    ``--format json``, ``csv`` and ``markdown``. Other words longer than the line are broken.
    Empty text gives one line holding the indent.
    """
    width = width or terminal_width()
    subsequent = indent if subsequent is None else subsequent
    words = " ".join(visible(text).split()).split(" ")
    lines: list[str] = []
    line = indent
    fresh = True  # nothing but the indent on this line yet
    for word in words:
        room = width - len(line) - (0 if fresh else 1)
        if len(word) <= room:
            line = line + word if fresh else f"{line} {word}"
            fresh = False
            continue
        if not fresh:
            lines.append(line)
            line, fresh = subsequent, True
        room = width - len(line)
        if _URL.match(word) and room < len(word):
            if len(word) <= width:   # fits only without the indent: flush left, whole
                line, fresh = word, False
            else:                    # longer than the line: shortened at the indent
                line, fresh = line + elide_url(word, max(room, 16)), False
            continue
        if len(word) <= room or _URL.match(word) or room < 1:
            line, fresh = line + word, False
            continue
        while len(word) > room:  # break a long word that is not a URL
            lines.append(line + word[:room])
            word = word[room:]
            line = subsequent
            room = width - len(line)
        line, fresh = line + word, not word
    lines.append(line)
    return [ln.rstrip() for ln in lines]


def elide_url(url: str, width: int) -> str:
    """``url`` as it is if it has at most ``width`` characters, else its start (scheme and host
    first) and its end joined by '…' in ``width`` characters, e.g. 'https://example.org/a…/end'.

    For a terminal only: every other format carries the address whole.
    """
    if len(url) <= width:
        return url
    keep = max(width - 1, 2)
    head = (keep * 3 + 4) // 5   # three fifths from the start, where the host is
    return url[:head] + "…" + url[len(url) - (keep - head):]


def wrap_cell(text: str, width: int) -> list[str]:
    """Wrap one table cell: at spaces and after hyphens or underscores; URLs stay whole."""
    if len(text) <= width:
        return [text]
    text = " ".join(str(text).split())
    out = []
    for line in textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=True):
        while len(line) > width and not _URL.match(line):
            cut = _break_point(line, width)
            out.append(line[:cut])
            line = line[cut:]
        out.append(line)
    return out or [""]


def _break_point(word: str, width: int) -> int:
    for mark in ("_", "-", "/", "."):
        at = word.rfind(mark, 1, width)
        if at > 0:
            return at + 1
    return width


def notes_text(notes: Sequence[str], width: int | None = None) -> str:
    """Notes under a table: a blank line, then each note wrapped to the width; '' if none
    (or with --quiet, which the command line handles by passing no notes)."""
    if not notes:
        return ""
    lines = [line for note in notes for line in wrap_text(note, width)]
    return "\n" + "\n".join(style(line, dim=True) for line in lines) + "\n"


def fit_table(rows: Sequence[Mapping[str, Any]], columns: Sequence[str], *,
              floatfmt: str | Mapping[str, str] = ".1f", width: int | None = None,
              headers: Mapping[str, str] | None = None, caps: Mapping[str, int] | None = None,
              beneath: Sequence[Sequence[str]] | None = None, records: bool = True,
              below: Sequence[str] = (), wide: bool = False, below_min: int = 30) -> str:
    """A plain-text table no wider than ``width`` (default: the terminal's).

    Numbers are right-aligned and formatted with ``floatfmt`` (one format, or one per
    column); missing values show as "—". Headers (``headers`` renames columns for show)
    and text cells wrap, widest first, down to ``MIN_TEXT``; ``caps`` bounds a column's
    width even when there is room. ``beneath[i]`` holds lines printed under row ``i``
    (already wrapped by the caller). If the columns cannot fit even so, each row is
    printed as a record ("column: value" lines) when ``records`` is true, else as the
    narrowest table. Columns named in ``below`` are columns only with ``wide`` or when the
    table still gives them ``below_min`` characters; otherwise their text goes in short
    lines beneath each row ("column: text", indented and wrapped).
    """
    width = width or terminal_width()
    below = [c for c in below if c in columns]
    if below and not wide:
        rest = [c for c in columns if c not in below]
        room = width - len(below) * (below_min + GAP)
        if room <= 0 or table_layout(rows, rest, floatfmt=floatfmt, width=room, headers=headers,
                                     caps=caps) is None:
            extra = []
            for i, row in enumerate(rows):
                lines: list[str] = []
                for c in below:
                    value = row.get(c)
                    if value is None or str(value).strip() in ("", "—"):
                        continue
                    name = headers.get(c, c) if headers else c
                    lines.extend(style(line, dim=True) for line in wrap_text(
                        f"{name}: {_text_cell(value, '.1f')}", width, "      ", "        "))
                lines.extend(beneath[i] if beneath and i < len(beneath) else [])
                extra.append(lines)
            return fit_table(rows, rest, floatfmt=floatfmt, width=width, headers=headers,
                             caps=caps, beneath=extra, records=records)
    layout = table_layout(rows, columns, floatfmt=floatfmt, width=width, headers=headers,
                          caps=caps)
    if layout is None and records:
        return record_layout(rows, columns, floatfmt=floatfmt, width=width, headers=headers,
                             beneath=beneath)
    if layout is None:
        layout = table_layout(rows, columns, floatfmt=floatfmt, width=width, headers=headers,
                              caps=caps, force=True)
    head, rule, body = layout
    lines = [style(line, bold=True) for line in head] + [style(rule, dim=True)]
    for i, row_lines in enumerate(body):
        lines.extend(row_lines)
        if beneath and i < len(beneath):
            lines.extend(beneath[i])
    return "\n".join(lines)


def fit_tree(rows: Sequence[Mapping[str, Any]], columns: Sequence[str], *,
             floatfmt: str | Mapping[str, str] = ".1f", width: int | None = None,
             below: str | None = None, step: int = 2) -> str:
    """A hierarchy (rows depth first, each with a ``depth``, 1 for the top level) as a
    plain-text table no wider than ``width``, the first column indented ``step`` spaces a
    level, so the tree stays readable; the ``below`` column's text goes under each row,
    indented under its first cell.

    The first column never wraps (a wrapped id would lose its indent): when the table
    cannot fit with it whole, each row becomes one indented line instead,
    ``id (kind): column value, column value`` wrapped under its indent.
    """
    width = width or terminal_width()
    first = columns[0]
    pads = [" " * (step * max(0, int(row.get("depth", 1)) - 1)) for row in rows]
    beneath = []
    for pad, row in zip(pads, rows, strict=True):
        value = row.get(below) if below else None
        beneath.append([] if value is None or str(value).strip() in ("", "—") else
                       [style(line, dim=True) for line in wrap_text(
                           f"{below}: {_text_cell(value, '.1f')}", width, pad + "    ",
                           pad + "      ")])
    shown = [{**row, first: pad + str(row.get(first))} for pad, row in zip(pads, rows,
                                                                           strict=True)]
    layout = table_layout(shown, columns, floatfmt=floatfmt, width=width)
    if layout is not None and all(len(lines) == 1 for lines in layout[1:][1]):
        head, rule, body = layout
        lines = [style(line, bold=True) for line in head] + [style(rule, dim=True)]
        for row_lines, extra in zip(body, beneath, strict=True):
            lines.extend(row_lines + extra)
        return "\n".join(lines)
    lines = []
    for pad, row, extra in zip(pads, rows, beneath, strict=True):
        title, *rest = columns
        kind = f" ({row['kind']})" if "kind" in row and "kind" in rest else ""
        fields = ", ".join(f"{c} {_text_cell(row.get(c), _fmt_for(floatfmt, c))}"
                           for c in rest if c != "kind")
        lines.extend(wrap_text(f"{row.get(title)}{kind}: {fields}", width, pad, pad + "    "))
        lines.extend(extra)
    return "\n".join(lines)


def table_layout(rows, columns, *, floatfmt=".1f", width: int, headers=None, caps=None,
                 force: bool = False):
    """(header lines, rule, [row lines]) for a table fitted to ``width``; None if it cannot
    fit (unless ``force``, which gives the narrowest table)."""
    headers = headers or {}
    titles = [headers.get(c, c) for c in columns]
    cells = [[_text_cell(row.get(c), _fmt_for(floatfmt, c)) for c in columns] for row in rows]
    # "n/a" (a value with no evidence behind it) stands in a numeric column like a number
    numeric = [all(_is_number(row.get(c)) or row.get(c) in (None, NOT_AVAILABLE) for row in rows)
               and any(_is_number(row.get(c)) for row in rows) for c in columns]
    natural, minimum, prose = [], [], []
    for j, title in enumerate(titles):
        column = [r[j] for r in cells]
        longest = max((len(c) for c in column), default=0)
        head_min = max((len(w) for w in re.split(r"[ ]|(?<=_)", title) if w), default=0)
        token = max((len(w) for c in column for w in c.split(" ") if not _URL.match(w)),
                    default=0)
        nat = max(len(title), longest)
        if caps and caps.get(columns[j]):
            nat = max(head_min, min(nat, caps[columns[j]]))
        low = (max(longest, head_min) if numeric[j]
               else max(head_min, min(nat, max(MIN_TEXT, min(token, 30)))))
        natural.append(nat)
        minimum.append(min(low, nat))
        prose.append(not numeric[j] and any(" " in c.strip() for c in column))
    widths = list(natural)
    total = sum(widths) + GAP * (len(widths) - 1)
    cell_width = [max((len(r[j]) for r in cells), default=0) for j in range(len(columns))]
    # Wrap long headers first, then prose columns, then any text column; widest first.
    floors = ([max(minimum[j], cell_width[j]) for j in range(len(columns))],
              [minimum[j] if prose[j] else widths[j] for j in range(len(columns))], minimum)
    for floor in floors:
        while total > width:
            slack = [(widths[j], j) for j in range(len(widths)) if widths[j] > floor[j]]
            if not slack:
                break
            _, j = max(slack, key=lambda t: (t[0], -t[1]))
            widths[j] -= 1
            total -= 1
    if total > width and not force:
        return None
    head_cells = [wrap_cell(t, widths[j]) for j, t in enumerate(titles)]
    depth = max((len(h) for h in head_cells), default=1)
    head_cells = [[""] * (depth - len(h)) + h for h in head_cells]  # bottom-aligned
    head = [_join([_pad(head_cells[j][k], widths[j], numeric[j]) for j in range(len(titles))])
            for k in range(depth)]
    rule = _join(["-" * w for w in widths])
    body = []
    for r in cells:
        wrapped = [wrap_cell(c, widths[j]) if not numeric[j] else [c] for j, c in enumerate(r)]
        height = max((len(w) for w in wrapped), default=1)
        body.append([_join([_pad(wrapped[j][k] if k < len(wrapped[j]) else "", widths[j],
                                 numeric[j]) for j in range(len(r))]) for k in range(height)])
    return head, rule, body


def record_layout(rows, columns, *, floatfmt=".1f", width: int, headers=None,
                  beneath=None) -> str:
    """Each row as a block of "column: value" lines, the first column as its title."""
    headers = headers or {}
    blocks = []
    for i, row in enumerate(rows):
        first = _text_cell(row.get(columns[0]), _fmt_for(floatfmt, columns[0]))
        lines = [style(f"{headers.get(columns[0], columns[0])} {first}", bold=True)]
        for c in columns[1:]:
            value = _text_cell(row.get(c), _fmt_for(floatfmt, c))
            lines.extend(wrap_text(f"{headers.get(c, c)}: {value}", width, "  ", "    "))
        if beneath and i < len(beneath):
            lines.extend(beneath[i])
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def _join(parts: Sequence[str]) -> str:
    return (" " * GAP).join(parts).rstrip()


def _pad(text: str, width: int, right: bool) -> str:
    return text.rjust(width) if right else text.ljust(width)


def _fmt_for(floatfmt: str | Mapping[str, str], column: str) -> str:
    return floatfmt if isinstance(floatfmt, str) else floatfmt.get(column, ".1f")


NOT_AVAILABLE = "n/a"  # engine.assessment.NO_EVIDENCE: right-aligned with the numbers


def _is_number(value: Any) -> bool:
    return (isinstance(value, int | float) and not isinstance(value, bool)
            and not (isinstance(value, float) and math.isnan(value)))


def _text_cell(value: Any, spec: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return format(value, spec)
    text = visible(value)
    lead = len(text) - len(text.lstrip(" "))  # indentation (e.g. a hierarchy) is kept
    return " " * lead + " ".join(text.split())


def to_csv(rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([csv_text(c) for c in columns])   # headers may be entity names
    for row in rows:
        writer.writerow([_csv_cell(row.get(c)) for c in columns])
    return buffer.getvalue()


def to_json(payload: Any) -> str:
    """Deterministic JSON: sorted keys, NaN/inf as null, dates as ISO strings."""
    from riskscore.outputs.jsontext import dumps

    return json_text(dumps(payload)) + "\n"


def _cell(value: Any, fmt: str) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, str) and fmt == "markdown":
        return md_cell(value)
    return value


def prose(line: str, fmt: str) -> str:
    """A line of prose beside a table: escaped as Markdown text in ``markdown``, else as is.

    A line that starts with "- " stays a list item (the marker is the program's; the rest is
    escaped)."""
    if fmt != "markdown":
        return line
    if line.startswith("- "):
        return "- " + md_text(line[2:])
    return md_text(line)


def _csv_cell(value: Any) -> Any:
    """Numbers as numbers (floats at full precision), text through ``csv_text`` (hostile
    controls shown escaped, a leading ``'`` before a formula start)."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return ""
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        value = value.item()
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, int | float):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return csv_text(value)
    return value
