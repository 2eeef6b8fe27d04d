"""The report's Audit section: what `riskscore audit` finds, formatted, never recomputed.

It lists the errors and unaccepted warnings (each with its fix), the findings the
model accepts with their reasons, counts the notes by kind, and gives each
country's missing-data score interval.
"""

from __future__ import annotations

from collections import Counter

from riskscore.analyses.audit.findings import CODES
from riskscore.outputs.report.mdtext import cell, code, num, table, text

HEADING = "## Audit"


#: A long ranking's audit lists at most this many open findings, by kind first.
LISTED_FINDINGS = 20


def audit_section(audit, shown: list[str] | None = None) -> str:
    """Markdown of the Audit section for an ``AuditResult``.

    ``shown`` (a long ranking's country sections): the open findings are counted by kind
    and listed for the model and these countries only (at most ``LISTED_FINDINGS``), and
    the score intervals are these countries' (the appendix has every country's).
    """
    summary = audit.summary()
    verdict = ("It passes `riskscore audit --strict`: no error, and every warning is accepted by "
               "the model with a reason." if summary["passes_strict"] else
               "It does **not** pass `riskscore audit --strict`.")
    parts = [HEADING,
             f"`riskscore audit` reviews the model and the data without changing them: "
             f"{summary['errors']} error(s), {summary['warnings']} warning(s) not accepted, "
             f"{summary['accepted_warnings']} accepted, {summary['notes']} note(s). {verdict}"]
    open_items = [f for f in audit.findings if f.level == "error"
                  or (f.level == "warning" and not f.accepted)]
    if open_items and shown is not None and len(open_items) > LISTED_FINDINGS:
        kinds = Counter(f.code for f in open_items)
        listed = [f for f in open_items if f.entity is None or f.entity in shown][:LISTED_FINDINGS]
        parts += ["### Findings to resolve",
                  f"{len(open_items):,} findings: " + "; ".join(
                      f"{count:,} × {code(kind)}" for kind, count in kinds.most_common())
                  + f". Those about the model and the countries with a section ({len(listed)}; "
                  "`riskscore audit` lists every one):",
                  "\n".join(_item(f) for f in listed) or "None."]
    elif open_items:
        parts += ["### Findings to resolve", "\n".join(_item(f) for f in open_items)]
    accepted = [f for f in audit.findings if f.accepted]
    parts.append("### Accepted findings")
    if accepted:
        parts.append("The model accepts these warnings (`[[audit.accept]]` in the model), for the "
                     "reasons it gives:")
        parts.append("\n".join(f"- **{text(f.code)}**{_where(f)}: {text(f.message)} "
                               f"*Accepted because:* {text(f.reason or '')}" for f in accepted))
    else:
        parts.append("None: the model accepts no finding.")
    notes = Counter(f.code for f in audit.findings if f.level == "note")
    if notes:
        parts.append("Notes (`riskscore audit` lists each): " + "; ".join(
            f"{count} × {text(kind)} ({text(CODES[kind][1]) if kind in CODES else text(kind)})"
            for kind, count in sorted(notes.items())) + ".")
    intervals = audit.intervals
    if shown is not None:
        intervals = [i for i in intervals if i["entity"] in shown]
    parts += ["### Missing data: score intervals", _intervals(intervals)]
    if shown is not None:
        parts.append(f"For the {len(intervals)} countries with a section; the appendix has "
                     "every country's.")
    return "\n\n".join(parts)


def _where(finding) -> str:
    bits = [b for b in (finding.entity, finding.indicator) if b]
    return f" ({text(', '.join(bits))})" if bits else ""


def _item(finding) -> str:
    return (f"- **{finding.level}** {code(finding.code)}{_where(finding)}: {text(finding.message)} "
            f"*Fix:* {text(finding.fix)}.")


def intervals_table(audit) -> str:
    """Every country's missing-data score interval (the appendix of a long ranking)."""
    return _intervals(audit.intervals)


def _intervals(intervals) -> str:
    rows = []
    for item in intervals:
        ranks = (f"{item['best_rank']}" if item["best_rank"] == item["worst_rank"]
                 else f"{item['best_rank']}–{item['worst_rank']}")
        rows.append({"country": cell(item["entity"]), "score": num(item["score"]),
                     "missing": str(len(item["missing"])),
                     "all at lowest risk": num(item["lowest"]),
                     "all at highest risk": num(item["highest"]),
                     "possible ranks": ranks if item["missing"] else "—"})
    columns = ["country", "score", "missing", "all at lowest risk", "all at highest risk",
               "possible ranks"]
    return ("Each country's score if every one of its missing values were at its lowest and at "
            "its highest risk, the others' scores as they are, and the ranks that would give it. "
            "A wide interval means the ranking rests on what is not known.\n\n"
            + table(rows, columns, right=columns[1:]))
