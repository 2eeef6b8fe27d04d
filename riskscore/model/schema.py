"""The keys each table of a model file accepts, as the loader itself knows them.

The loader rejects an unknown key with the list of the keys that table accepts; this
module asks it, table by table (a model with one unknown key in one table, read in
collecting mode), so that the documentation's reference of config keys is generated
from the loader and cannot drift from it.
"""

from __future__ import annotations

import re
from typing import Any

PROBE = "zz_not_a_key"
# Each table of the model file, and where the probe goes in a small valid model.
TABLES: dict[str, tuple[str, ...]] = {
    "(top level)": (),
    "[index]": ("index",),
    "[nodes.ID]": ("nodes", "n"),
    "[indicators.ID]": ("indicators", "i"),
    "[denominators.ID]": ("denominators", "d"),
    "[columns]": ("columns",),
    "[[classes]]": ("classes", "0"),
    "[treatment]": ("treatment",),
    "[audit]": ("audit",),
    "[[audit.accept]]": ("audit", "accept", "0"),
    "[weight_sets.NAME]": ("weight_sets", "w"),
}


def _base() -> dict[str, Any]:
    return {"index": {"id": "r"}, "nodes": {"n": {}},
            "indicators": {"i": {"parent": "n", "goalposts": [0, 1]}},
            "denominators": {"d": {}}, "columns": {}, "classes": [{"label": "a", "from": 0}],
            "treatment": {}, "audit": {"accept": [{"code": "c", "reason": "r"}]},
            "weight_sets": {"w": {"method": "budget", "weights": {"n": 1}}}}


def model_keys() -> dict[str, list[str]]:
    """Table -> the keys the loader accepts there, sorted."""
    from riskscore.errors import RiskscoreError
    from riskscore.model.loader import model_from_mapping
    from riskscore.support.problems import Collector

    found: dict[str, list[str]] = {}
    for table, where in TABLES.items():
        model = _base()
        target: Any = model
        for step in where:
            target = target[int(step)] if isinstance(target, list) else target[step]
        target[PROBE] = 1
        collector = Collector()
        messages = []
        try:
            model_from_mapping(model, collector)
        except RiskscoreError as err:
            messages.append((err.key or "", err.expected or ""))
        messages += [(p.key or "", p.fix or "") for p in collector.errors]
        for key, expected in messages:
            if key.endswith(PROBE) and (match := re.search(r"one of (.+)$", expected)):
                found[table] = sorted(k.strip() for k in match.group(1).split(","))
                break
    return found
