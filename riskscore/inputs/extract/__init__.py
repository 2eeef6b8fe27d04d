"""Evidence extraction: find the sentences of a document that may back indicator values.

The parts, one job each: ``sentences`` (splitting with exact offsets),
``gazetteer`` (countries), ``suppliers`` (registry names), ``figures``
(numbers with units and bounds), ``hints`` (declared indicator rules),
``extraction`` (putting them together) and ``draft`` (a profile draft to review).
"""

from riskscore.inputs.extract.draft import draft_indicators, draft_profile, draft_units, in_indicator_unit
from riskscore.inputs.extract.extraction import (
    Candidate,
    Extraction,
    SupplierRef,
    extract_candidates,
    extract_document,
    read_document,
)
from riskscore.inputs.extract.figures import Figure, find_figures
from riskscore.inputs.extract.gazetteer import Country, Gazetteer, find_countries, load_gazetteer
from riskscore.inputs.extract.hints import HintRule, Hints, load_hints
from riskscore.inputs.extract.sentences import Sentence, split_sentences, unique_sentences
from riskscore.inputs.extract.suppliers import find_suppliers

__all__ = [
    "Candidate", "Country", "Extraction", "Figure", "Gazetteer", "HintRule", "Hints",
    "Sentence", "SupplierRef", "draft_indicators", "draft_profile", "draft_units",
    "in_indicator_unit", "extract_candidates",
    "extract_document", "find_countries", "find_figures", "find_suppliers", "load_gazetteer",
    "load_hints", "read_document", "split_sentences", "unique_sentences",
]
