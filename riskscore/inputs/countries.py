"""Entities named by a country code: the ISO3 codes profiles declare, and what an ISO 3166
alpha-3 code names when a table has no codes (pycountry).

Country-specific knowledge of the evidence-backed profiles lives here, so that the engine
stays general: ``Assessment.index`` asks this module what a code means.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from riskscore.inputs.loading import InputSet


def profile_codes(inputs: InputSet) -> dict[str, str]:
    """The ISO3 codes the profiles declare (casefolded), each to its profile's entity."""
    return {p.iso3.casefold(): p.entity for p in inputs.profiles if p.iso3}


def country_names(code: str) -> set[str]:
    """The names (casefolded) of the country whose ISO 3166 alpha-3 code is ``code``, if any:
    its name, common name and official name."""
    if len(code) != 3 or not code.isalpha():
        return set()
    import pycountry

    found = pycountry.countries.get(alpha_3=code.upper())
    if found is None:
        return set()
    return {getattr(found, attr).casefold() for attr in ("name", "common_name", "official_name")
            if getattr(found, attr, None)}
