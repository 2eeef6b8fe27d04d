"""Find registry suppliers in a text by their names and aliases.

Matching is case-sensitive on word boundaries with the longest name or alias
tried first, so "Dahua Technology" is one mention of ``dahua`` and "Huawei's"
still mentions ``huawei``. Names come only from the registry file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from riskscore.inputs.registry import Registry


@dataclass(frozen=True)
class SupplierMention:
    """One place in a text naming a registry supplier."""

    id: str
    country: str
    text: str
    start: int
    end: int


def supplier_forms(registry: Registry) -> dict[str, str]:
    """Each name and alias in the registry mapped to its supplier id."""
    forms: dict[str, str] = {}
    for supplier in registry.suppliers.values():
        for form in (supplier.name, *supplier.aliases):
            forms[form] = supplier.id
    return forms


def supplier_pattern(forms: dict[str, str]) -> re.Pattern[str]:
    """One regular expression over ``forms``, longest first, on word boundaries."""
    alternatives = sorted(forms, key=lambda form: (-len(form), form))
    body = "|".join(re.escape(form) for form in alternatives)
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)")


def find_suppliers(text: str, registry: Registry) -> list[SupplierMention]:
    """Every supplier mention in ``text``, in order of appearance."""
    forms = supplier_forms(registry)
    if not forms:
        return []
    mentions = []
    for match in supplier_pattern(forms).finditer(text):
        supplier = registry.suppliers[forms[match.group()]]
        mentions.append(SupplierMention(supplier.id, supplier.country, match.group(),
                                        match.start(), match.end()))
    return mentions
