"""From a document to its evidence candidates.

A candidate is a sentence (first occurrence only, if repeated verbatim) that
mentions at least one country, supplier or figure AND on which at least one
indicator hint fires. A country name inside a supplier's name ("China" in
"China National Petroleum Corporation") is not counted as a country mention:
the supplier carries its home country.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from riskscore.errors import DataError
from riskscore.inputs.extract.figures import Figure, find_figures
from riskscore.inputs.extract.gazetteer import Gazetteer, find_countries
from riskscore.inputs.extract.hints import Hints
from riskscore.inputs.extract.sentences import split_sentences, unique_sentences
from riskscore.inputs.extract.suppliers import find_suppliers
from riskscore.inputs.registry import Registry
from riskscore.support.fileio import MAX_TEXT_BYTES, read_bytes


@dataclass(frozen=True)
class SupplierRef:
    """A supplier named in a sentence: registry id and home country (ISO alpha-2)."""

    id: str
    country: str


@dataclass(frozen=True)
class Candidate:
    """A sentence that may back an indicator value, with what it mentions."""

    sentence: str
    start: int
    end: int
    entities: tuple[str, ...]
    suppliers: tuple[SupplierRef, ...]
    figures: tuple[Figure, ...]
    indicators: tuple[str, ...]
    # Countries of the previous sentence in the same paragraph, when this one names
    # none ("Huawei ... has offered no information on where the data will be
    # stored." after a sentence on Tajikistan). Used by the draft, not reported.
    context: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return {
            "sentence": self.sentence,
            "start": self.start,
            "end": self.end,
            "entities": list(self.entities),
            "suppliers": [{"id": s.id, "country": s.country} for s in self.suppliers],
            "figures": [f.to_dict() for f in self.figures],
            "indicators": list(self.indicators),
        }


@dataclass(frozen=True)
class Extraction:
    """The candidates found in one document."""

    document: str
    sha256: str
    candidates: tuple[Candidate, ...]

    def to_dict(self) -> dict:
        return {"document": self.document, "sha256": self.sha256,
                "candidates": [c.to_dict() for c in self.candidates]}

    def for_country(self, name: str, *, context: bool = True) -> tuple[Candidate, ...]:
        """The candidates that mention country ``name`` (a canonical name).

        With ``context``, also those that name no country themselves but follow a
        sentence naming it in the same paragraph.
        """
        return tuple(c for c in self.candidates
                     if name in c.entities or (context and name in c.context))


def read_document(path: Path) -> tuple[str, str]:
    """The UTF-8 text of ``path`` and the SHA-256 of its bytes; ``DataError`` if unreadable."""
    path = Path(path)
    data = read_bytes(path, DataError, "text", limit=MAX_TEXT_BYTES)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(path, None, f"is not UTF-8 text (byte {exc.start})",
                        "a UTF-8 text file") from None
    return text, hashlib.sha256(data).hexdigest()


def extract_document(source: Path | str, *, gazetteer: Gazetteer, registry: Registry,
                     hints: Hints) -> Extraction:
    """Find the evidence candidates of a document.

    ``source`` is a ``Path`` to read, or a ``str`` holding the text itself (the
    document is then called ``"<text>"``). Offsets index the decoded text:
    ``text[c.start:c.end] == c.sentence`` for every candidate, and likewise for
    every figure. Raises ``DataError`` if the file cannot be read as UTF-8.
    """
    if isinstance(source, Path):
        text, sha256 = read_document(source)
        document = str(source)
    else:
        text, sha256 = source, hashlib.sha256(source.encode("utf-8")).hexdigest()
        document = "<text>"
    return Extraction(document, sha256, extract_candidates(text, gazetteer, registry, hints))


def extract_candidates(text: str, gazetteer: Gazetteer, registry: Registry,
                       hints: Hints) -> tuple[Candidate, ...]:
    """The candidates of ``text`` in document order (see the module docstring)."""
    candidates = []
    previous: tuple[str, ...] = ()
    previous_end = 0
    for sentence in unique_sentences(split_sentences(text)):
        same_paragraph = "\n" not in text[previous_end:sentence.start]
        supplier_mentions = find_suppliers(sentence.text, registry)
        inside_supplier = [(m.start, m.end) for m in supplier_mentions]
        countries = [m.country.name for m in find_countries(sentence.text, gazetteer)
                     if not any(s <= m.start and m.end <= e for s, e in inside_supplier)]
        suppliers = [SupplierRef(m.id, m.country) for m in supplier_mentions
                     if not m.negated]   # "no Huawei equipment" names no supplier
        figures = find_figures(sentence.text, offset=sentence.start)
        context = () if countries or not same_paragraph else previous
        previous, previous_end = _unique(countries), sentence.end
        if not (countries or suppliers or figures):
            continue
        indicators = hints.indicators_for(sentence.text, [f.unit for f in figures],
                                          has_supplier=bool(suppliers))
        if not indicators:
            continue
        candidates.append(Candidate(sentence.text, sentence.start, sentence.end,
                                    _unique(countries), _unique(suppliers), tuple(figures),
                                    tuple(indicators), context))
    return tuple(candidates)


def _unique(items: list) -> tuple:
    return tuple(dict.fromkeys(items))
