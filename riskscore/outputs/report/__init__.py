"""The Markdown risk report: one self-contained file plus SVG figures beside it.

Built from the same ``Assessment`` that ``riskscore score`` prints (and its
article-only twin); the report formats, it does not compute::

    from riskscore import assess
    from riskscore.outputs.report import article_only_assessment, build_report, write_report

    result = assess("config/model.toml", profiles="seeds/profiles")
    report = build_report(result, article_only_assessment(result), title=None, date=None,
                          seed=20191119)
    write_report(report, "reports/risk-report.md")
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from riskscore.outputs.report.markdown import DEFAULT_SEED, build_markdown
from riskscore.outputs.report.overview import DEFAULT_TOP

__all__ = ["DEFAULT_SEED", "DEFAULT_TOP", "Report", "article_only_assessment", "build_report", "write_report"]


@dataclass(frozen=True)
class Report:
    """The report's Markdown and its figures (POSIX path relative to the report -> SVG bytes)."""

    markdown: str
    figures: dict[str, bytes]
    alt_texts: dict[str, str]
    name: str = "risk-report"   # the figures' prefix: figures/<name>-*.svg


def build_report(result, article_only, *, title: str | None = None, date: dt.date | None = None,
                 seed: int = DEFAULT_SEED, sensitivity: Any | None = None,
                 name: str = "risk-report", audit: Any | None = None,
                 comparison: Any | None = None, trend: Any | None = None,
                 top: int = DEFAULT_TOP, entities: Sequence[str] | None = None) -> Report:
    """Build the report of ``result`` (an ``Assessment``) in memory.

    ``article_only``: the same inputs scored with ``sources="article"`` (see
    ``article_only_assessment``), or None. ``title`` defaults to the model's label;
    ``date`` (shown in the header) to the evidence date. ``seed``: the robustness
    analysis's seed, printed for reproducibility. ``sensitivity``: an optional
    ``SensitivityResult``. ``name`` prefixes the figure files
    (``figures/<name>-*.svg``); use the report file's stem. ``audit``: the
    ``AuditResult`` for the Audit section (``riskscore.analyses.audit.audit_assessment(result)``
    when None).
    ``comparison`` and ``trend`` (see ``riskscore.analyses.compare`` and ``riskscore.analyses.trend``)
    add the "What changed since the previous edition" section and its trend figure.
    ``top`` (default 10): how many countries the report details; a longer ranking gets a
    distribution, the top and bottom ``top`` and an appendix with the full tables.
    ``entities`` (names or ISO3 codes) choose the country sections instead of the top ``top``.
    """
    from riskscore.outputs.report.figures import render_svg

    markdown, specs = build_markdown(result, article_only, title=title, date=date, seed=seed,
                                     sensitivity=sensitivity, name=name, audit=audit,
                                     comparison=comparison, trend=trend, top=top,
                                     entities=entities)
    return Report(markdown, {s.path: render_svg(s.plot, s.data) for s in specs},
                  {s.path: s.alt for s in specs}, name)


def write_report(report: Report, output_path: Path | str, *,
                 create_folder: bool = True) -> list[Path]:
    """Write the report to ``output_path`` and its figures beside it, atomically.

    Figures of an earlier run of the same report that this one does not draw are
    removed. The folder of ``output_path`` is created if missing (unless not ``create_folder``).
    Returns the paths written. On any error (``OutputError``) and on SIGINT or
    SIGTERM the previous report stays complete; see ``writer``.
    """
    from riskscore.outputs.report.figure_spec import FIGURE_KINDS, figure_path
    from riskscore.outputs.report.writer import write_report_files

    stale = [figure_path(report.name, kind) for kind in FIGURE_KINDS]
    return write_report_files(report.markdown, report.figures, Path(output_path),
                              remove=[p for p in stale if p not in report.figures],
                              create_folder=create_folder)


def article_only_assessment(result):
    """``result``'s inputs scored with article-quoted values only; None for a data table."""
    if result.inputs.kind != "profiles":
        return None
    from riskscore.engine.pipeline import score

    return score(result.model, result.inputs, sources="article", as_of=result.as_of)
