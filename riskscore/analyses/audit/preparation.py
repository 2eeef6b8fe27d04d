"""What denomination, imputation and outlier treatment did (``riskscore.engine.prepare``).

Each step is already recorded per cell in the assessment; the audit reports it,
so that no imputed or treated value goes unremarked: one note per imputed cell
(it counts as imputed, never as observed), one per treated indicator listing every
treated point, and one per denominated indicator.
"""

from __future__ import annotations

from collections import defaultdict

from riskscore.analyses.audit.findings import Finding, finding


def check(result) -> list[Finding]:
    by_indicator: dict[tuple[str, str], list] = defaultdict(list)
    for step in result.steps:
        by_indicator[(step.kind, step.indicator)].append(step)
    out = []
    for (kind, indicator), steps in by_indicator.items():
        if kind == "imputed":
            for s in steps:
                out.append(finding(
                    "imputed", f"{s.entity}'s {indicator} is not observed; {s.note} gave "
                    f"{s.after:g}", "find a source for the value, or accept the imputation "
                    "with [[audit.accept]] code = 'imputed'", entity=s.entity,
                    indicators=indicator))
        elif kind in ("winsorised", "log-treated"):
            points = "; ".join(f"{s.entity} {s.before:g}→{s.after:g}" for s in steps[:12])
            more = f" (and {len(steps) - 12} more)" if len(steps) > 12 else ""
            what = ("winsorised at " + f"{len(steps)} point(s): {points}{more}"
                    if kind == "winsorised" else "log-transformed (winsorising did not pass)")
            out.append(finding(
                "treated", f"{indicator} has outliers by the skew/kurtosis rule and was {what}",
                "check the outlying values at their source; set treatment = 'none' on the "
                "indicator to score them as they are", indicators=indicator))
        elif kind == "denominated":
            out.append(finding(
                "denominated", f"{indicator} is scored per unit of its denominator "
                f"({steps[0].note.split(' (')[0]}) for {len(steps)} entities",
                "none needed; check the denominator's source and date", indicators=indicator))
    return out
