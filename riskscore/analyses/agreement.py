"""Inter-coder agreement: Cohen's kappa for two codings of the same items.

Two coders code the same items (here, every 0-2 code of a profile) independently; kappa
is their agreement corrected for the agreement expected by chance from each coder's own
marginal distribution (Cohen 1960):

    kappa = (p_o - p_e) / (1 - p_e)

where ``p_o`` is the observed share of agreeing items and ``p_e`` the sum over
categories of the product of the two coders' shares. Unweighted: a disagreement of
0 against 2 counts the same as 0 against 1. Computed by scikit-learn's
``cohen_kappa_score``; this wrapper checks the codings and settles the degenerate case.
"""

from __future__ import annotations

from collections.abc import Sequence


def cohen_kappa(first: Sequence[object], second: Sequence[object]) -> float:
    """Cohen's kappa of two codings of the same items, in item order.

    Raises ``ValueError`` if the codings differ in length or are empty. When both
    coders use one and the same category for every item, chance agreement is 1 and
    kappa is undefined; it is returned as 1.0 (perfect agreement), as the agreement
    is complete.
    """
    if len(first) != len(second):
        raise ValueError(f"the two codings have {len(first)} and {len(second)} items; "
                         "expected the same items in both")
    n = len(first)
    if n == 0:
        raise ValueError("the codings are empty; expected at least one item")
    if len(set(first) | set(second)) == 1:
        return 1.0   # one category for every item: chance agreement is 1, kappa undefined
    from sklearn.metrics import cohen_kappa_score

    return float(cohen_kappa_score(list(first), list(second)))
