"""Find registry suppliers in a text by their names and aliases.

Matching is case-sensitive on word boundaries with the longest name or alias
tried first, so "Dahua Technology" is one mention of ``dahua`` and "Huawei's"
still mentions ``huawei``. Names come only from the registry file.

A mention under a negation ("not Huawei", "no Huawei equipment", "does not use
ZTE", "neither Huawei nor ZTE", "non-Huawei", "Huawei-free") is found but marked
``negated``: it names the supplier without saying it supplies anything, so callers
that count suppliers leave it out (see ``is_negated`` for the rule).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from riskscore.inputs.registry import Registry


@dataclass(frozen=True)
class SupplierMention:
    """One place in a text naming a registry supplier; ``negated`` when the text denies it
    ("not Huawei", "no Huawei equipment")."""

    id: str
    country: str
    text: str
    start: int
    end: int
    negated: bool = False


def supplier_forms(registry: Registry) -> dict[str, str]:
    """Each name and alias in the registry mapped to its supplier id."""
    forms: dict[str, str] = {}
    for supplier in registry.suppliers.values():
        for form in (supplier.name, *supplier.aliases):
            if form:
                forms[form] = supplier.id
    return forms


def supplier_pattern(forms: dict[str, str], ignore_case: bool = False) -> re.Pattern[str]:
    """One regular expression over ``forms``, longest first, on word boundaries."""
    alternatives = sorted(forms, key=lambda form: (-len(form), form))
    body = "|".join(re.escape(form) for form in alternatives)
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE if ignore_case else 0)


def find_suppliers(text: str, registry: Registry, *,
                   ignore_case: bool = False) -> list[SupplierMention]:
    """Every supplier mention in ``text``, in order of appearance, each marked ``negated``
    or not. ``ignore_case`` also matches "huawei" or "HUAWEI" (the audit reads quotes so)."""
    forms = supplier_forms(registry)
    if not forms:
        return []
    folded = {form.casefold(): sid for form, sid in forms.items()}
    mentions: list[SupplierMention] = []
    for match in supplier_pattern(forms, ignore_case).finditer(text):
        sid = forms.get(match.group()) or folded[match.group().casefold()]
        supplier = registry.suppliers[sid]
        negated = is_negated(text, match.start(), match.end())
        if not negated and mentions and mentions[-1].negated and _LIST_ONLY.fullmatch(
                text[mentions[-1].end:match.start()]):
            negated = True   # "no Huawei or ZTE equipment", "not Huawei, ZTE or Dahua"
        mentions.append(SupplierMention(supplier.id, supplier.country, match.group(),
                                        match.start(), match.end(), negated))
    return mentions


# A negation cue among the last NEGATION_WINDOW words before a name, in the same clause,
# denies the mention. Clauses end at . ; : ! ? brackets and contrastive words; a
# subordinate clause ("not clear whether Huawei ...") starts a new scope.
NEGATION_WINDOW = 3
_CUES = {"not", "no", "never", "without", "neither", "nor", "non", "excluding", "except",
         "none", "nothing", "nobody"}
_PHRASES = ("instead of", "rather than", "other than", "apart from", "none of",
            "no longer", "free of")
_NOT_NEGATIONS = {"only", "just", "merely", "simply", "least", "alone"}   # "not only Huawei"
_BOUNDARY = re.compile(r"[,.;:!?()\[\]]|\b(?:but|however|although|though|while|whereas|yet)\b",
                       re.IGNORECASE)
_SCOPE_BREAK = {"whether", "if", "that", "which", "who", "whose", "because", "since", "when",
                "where"}
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_LIST_ONLY = re.compile(r"(?:\s|,|/|&|\b(?:and|or|nor)\b)*", re.IGNORECASE)


def is_negated(text: str, start: int, end: int) -> bool:
    """Whether the name at ``text[start:end]`` is denied by its words around it.

    Denied: a cue ("not", "no", "never", "without", "neither", "nor", "non-", "except",
    "excluding", a contraction in n't, or "instead of", "rather than", "other than",
    "apart from", "none of", "no longer", "free of") among the three words just before
    the name in the same clause, with no "whether", "that", "which" … between; or the
    suffix "-free" ("Huawei-free"). Not denied: "not only Huawei", "not just ZTE".
    """
    if re.match(r"-free\b", text[end:], re.IGNORECASE):
        return True
    clause = _BOUNDARY.split(text[:start])[-1]
    words = [w.lower().replace("’", "'") for w in _WORD.findall(clause)][-NEGATION_WINDOW - 1:]
    recent = words[-NEGATION_WINDOW:]
    for i in range(len(recent) - 1, -1, -1):
        word = recent[i]
        if word in _SCOPE_BREAK:
            return False
        following = recent[i + 1] if i + 1 < len(recent) else ""
        if (word in _CUES or word.endswith("n't")) and following not in _NOT_NEGATIONS:
            return True
    tail = " ".join(words)
    return any(f" {phrase} " in f" {tail} " for phrase in _PHRASES)
