"""The ``riskscore extract`` command: parse options, call the library, format.

Registered on the main group with ``cli.add_command(extract)``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from riskscore.cli.options import (
    emit,
    handle_errors,
    project_option,
    project_path,
    quiet_option,
)
from riskscore.inputs.extract import (
    Extraction,
    Figure,
    draft_indicators,
    draft_profile,
    draft_units,
    extract_document,
    load_gazetteer,
    load_hints,
)
from riskscore.inputs.extract.figures import CURRENCIES
from riskscore.inputs.registry import load_registry
from riskscore.outputs.render import FORMATS, render_rows, to_json

COLUMNS = ("start", "countries", "suppliers", "figures", "indicators", "sentence")
SENTENCE_WIDTH = 80
_BOUND_MARKS = {"exact": "", "lower": ">=", "upper": "<=", "approx": "~"}


def figure_short(figure: Figure) -> str:
    """A compact form of a figure for tables: ``>=90%``, ``~USD 4.3m``, ``4,000 cameras``."""
    mark = _BOUND_MARKS[figure.bound]
    value = figure.value
    if abs(value) >= 1e9:
        number = f"{value / 1e9:g}bn"
    elif abs(value) >= 1e6:
        number = f"{value / 1e6:g}m"
    else:
        number = f"{value:,g}"
    if figure.unit == "%":
        return f"{mark}{number}%"
    if figure.unit == "pp":
        return f"{mark}{number} pp"
    if figure.unit in CURRENCIES:
        return f"{mark}{figure.unit} {number}"
    if figure.unit == "number":
        return f"{mark}{number}"
    return f"{mark}{number} {figure.unit}"


def candidate_cards(rows: list[dict]) -> str:
    """The candidates as text: one line of offset, countries, suppliers, figures and
    indicators, then the whole sentence wrapped beneath (never cut)."""
    from riskscore.outputs.render import style, wrap_text

    lines = [style(f"{len(rows)} candidate sentences; @offset · countries · suppliers · "
                   "figures → indicators", dim=True)] if rows else ["no candidate sentences"]
    for row in rows:
        facts = [row[k] for k in ("countries", "suppliers", "figures") if row[k]]
        head = " · ".join([f"@{row['start']}", *facts])
        if row["indicators"]:
            head += f" → {row['indicators']}"
        lines += [""] + [style(line, bold=True) for line in wrap_text(head, None, "", "    ")]
        lines += wrap_text(row["sentence"], None, "  ", "  ")
    return "\n".join(lines) + "\n"


def document_name(doc: Path) -> str | None:
    """A document in a project's documents/ folder is named by its file name's stem."""
    from riskscore.inputs.documents import DOCUMENTS_DIR

    return doc.stem if doc.resolve().parent.name == DOCUMENTS_DIR else None


def candidate_rows(extraction: Extraction, truncate: bool) -> list[dict]:
    """One row per candidate, with short forms; sentences cut to 80 characters if asked."""
    rows = []
    for c in extraction.candidates:
        sentence = " ".join(c.sentence.split())
        if truncate and len(sentence) > SENTENCE_WIDTH:
            sentence = sentence[:SENTENCE_WIDTH - 1] + "…"
        rows.append({
            "start": c.start,
            "countries": ", ".join(c.entities),
            "suppliers": ", ".join(s.id for s in c.suppliers),
            "figures": "; ".join(figure_short(f) for f in c.figures),
            "indicators": ", ".join(c.indicators),
            "sentence": sentence,
        })
    return rows


@click.command()
@click.argument("doc", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS, case_sensitive=False),
              default="table", show_default=True,
              help="Output format for the candidate list.")
@click.option("--draft", "draft_country", metavar="COUNTRY", default=None,
              help="Print a profile draft for COUNTRY (name or ISO code) to review, "
                   "instead of the candidate list.")
@click.option("--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="The as_of date written into the draft (required with --draft).")
@click.option("--gazetteer", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Cities and aliases mapped to countries [default: the project's gazetteer].")
@click.option("--registry", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Supplier registry with names and aliases [default: the project's registry].")
@click.option("--hints", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Rules mapping sentences to indicators [default: the project's hints].")
@click.option("--model", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Model whose indicators the draft lists [default: the project's model].")
@click.option("--document", "document", default=None, metavar="NAME",
              help="Name the draft's quotes after this project document [default: DOC's name "
                   "when DOC is in a documents/ folder, else none: the seed article].")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file (atomically; a missing folder is created) instead of standard output.")
@project_option
@quiet_option
@handle_errors
def extract(doc: Path, fmt: str, draft_country: str | None, as_of: dt.datetime | None,
            gazetteer: Path | None, registry: Path | None, hints: Path | None,
            model: Path | None, document: str | None, output: Path | None) -> None:
    """Find the sentences of DOC that may back indicator values.

    Each candidate sentence is listed with its exact offset, the countries,
    suppliers and figures it mentions and the indicators its hints point to.
    With --draft COUNTRY, print a profile draft to review instead.

    \b
    Example:
      riskscore extract seeds/000_fecfd22379664373.txt
      riskscore extract news.txt --draft TJK --as-of 2019-11-19 -o tajikistan.toml
    """
    if draft_country is not None and as_of is None:
        raise click.UsageError("--as-of is required with --draft")
    loaded_gazetteer = load_gazetteer(_named("gazetteer", gazetteer))
    extraction = extract_document(
        doc, gazetteer=loaded_gazetteer, registry=load_registry(_named("registry", registry)),
        hints=load_hints(_named("hints", hints)))
    if draft_country is not None and as_of is not None:
        text = draft_profile(extraction, draft_country, as_of=as_of.date(),
                             indicators=draft_indicators(_named("model", model)),
                             gazetteer=loaded_gazetteer,
                             units=draft_units(_named("model", model)),
                             document=document or document_name(doc))
    elif fmt == "json":
        text = to_json(extraction.to_dict())
    elif fmt == "table":
        text = candidate_cards(candidate_rows(extraction, truncate=False))
    else:
        text = render_rows(candidate_rows(extraction, truncate=False), fmt,
                           COLUMNS) + ("" if fmt == "csv" else "\n")
    emit(text, output)


def _named(key: str, given: Path | None) -> Path:
    """The file given, else the one the project names for ``key`` (an error if none)."""
    path = project_path(key, given)
    if path is None:
        raise click.UsageError(f"the project names no {key} file; give --{key} FILE")
    return path
