"""Split a text into sentences that keep exact offsets into the original text.

For every ``Sentence`` s of a text t, ``t[s.start:s.end] == s.text``; nothing is
normalised. The rules:

- A blank line, or a line break before a bullet ("-", "*", "•", "1." or "1)"),
  always ends a sentence; a bullet marker is not part of the sentence. A
  single line break elsewhere is treated as a space (hard-wrapped paragraphs).
- ".", "!", "?" or "…" (with any closing quotes or brackets after it) ends a
  sentence when whitespace and then a capital letter, digit, opening quote or
  bracket follow, or, with no space at all, when a lowercase word is followed
  by a capitalised word ("citizens.In February" is two sentences).
- Not after an abbreviation from ``ABBREVIATIONS`` ("Mr.", "e.g."), a single
  capital initial ("J. Smith"), or a dotted acronym ("U.S.") unless the next
  word is a common sentence opener ("... by the U.S. The firm ...").
- Decimals ("1.7 million") never split: a digit follows the full stop.

``unique_sentences`` drops sentences repeated verbatim, keeping the first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ABBREVIATIONS = frozenset({
    "Mr", "Mrs", "Ms", "Dr", "Prof", "Gen", "Col", "Lt", "Sgt", "Capt", "Gov", "Sen", "Rep",
    "Pres", "St", "Jr", "Sr", "Mt", "vs", "etc", "approx", "No", "Nos", "Co", "Corp", "Inc",
    "Ltd", "Dept", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct",
    "Nov", "Dec", "cf", "al", "fig", "Fig", "e.g", "i.e", "a.m", "p.m",
})
# Words after which a dotted acronym ("U.S.") is taken to end its sentence.
SENTENCE_OPENERS = frozenset({
    "The", "A", "An", "It", "Its", "This", "That", "These", "Those", "They", "He", "She", "We",
    "In", "On", "But", "And", "However", "Meanwhile", "Since", "According",
})


@dataclass(frozen=True)
class Sentence:
    """A sentence and its half-open character range in the original text."""

    text: str
    start: int
    end: int


_HARD_BREAK = re.compile(r"\n[ \t]*\n\s*|\n(?=[ \t]*(?:[-*•‣◦]|\d{1,3}[.)])\s)")
_BULLET = re.compile(r"[ \t]*(?:[-*•‣◦]|\d{1,3}[.)])[ \t]+")
_TERMINAL = re.compile(r"[.!?…]+[\"'”’)\]]*")
_OPENING = re.compile(r"\s+(?=[\"'“‘(\[]|\d|[^\W\d_])")
_NO_SPACE = re.compile(r"(?=[A-Z][a-z])")
_WORD_BEFORE = re.compile(r"([\w.]+)$")
_DOTTED_ACRONYM = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")
_NEXT_WORD = re.compile(r"\s+(\w+)")


def split_sentences(text: str) -> list[Sentence]:
    """All sentences of ``text`` in order, with exact offsets (repeats included)."""
    sentences: list[Sentence] = []
    for block_start, block_end in _blocks(text):
        bullet = _BULLET.match(text, block_start, block_end)
        start = bullet.end() if bullet else block_start
        for s_start, s_end in _split_block(text, start, block_end):
            sentence = _trimmed(text, s_start, s_end)
            if sentence is not None:
                sentences.append(sentence)
    return sentences


def unique_sentences(sentences: list[Sentence]) -> list[Sentence]:
    """``sentences`` without verbatim repeats; the first occurrence is kept."""
    seen: set[str] = set()
    unique = []
    for sentence in sentences:
        if sentence.text not in seen:
            seen.add(sentence.text)
            unique.append(sentence)
    return unique


def _blocks(text: str) -> list[tuple[int, int]]:
    blocks = []
    position = 0
    for match in _HARD_BREAK.finditer(text):
        blocks.append((position, match.start()))
        position = match.end()
    blocks.append((position, len(text)))
    return blocks


def _split_block(text: str, start: int, end: int) -> list[tuple[int, int]]:
    pieces = []
    piece_start = start
    for match in _TERMINAL.finditer(text, start, end):
        boundary = match.end()
        spaced = _OPENING.match(text, boundary, end)
        if spaced is not None and text[spaced.end()].islower():
            continue
        if spaced is None and not (_NO_SPACE.match(text, boundary, end)
                                   and _lowercase_word_before(text, match.start())):
            continue
        if not _ends_sentence(text, match, end):
            continue
        pieces.append((piece_start, boundary))
        piece_start = spaced.end() if spaced else boundary
    pieces.append((piece_start, end))
    return pieces


def _lowercase_word_before(text: str, position: int) -> bool:
    word = _WORD_BEFORE.search(text, 0, position)
    return word is not None and re.fullmatch(r"[a-z]{2,}", word.group(1)) is not None


def _ends_sentence(text: str, match: re.Match[str], end: int) -> bool:
    if not match.group().startswith("."):
        return True
    word_match = _WORD_BEFORE.search(text, 0, match.start())
    if word_match is None:
        return True
    word = word_match.group(1)
    if word in ABBREVIATIONS or re.fullmatch(r"[A-Z]", word):
        return False
    if _DOTTED_ACRONYM.fullmatch(word):
        following = _NEXT_WORD.match(text, match.end(), end)
        return following is not None and following.group(1) in SENTENCE_OPENERS
    return True


def _trimmed(text: str, start: int, end: int) -> Sentence | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        return None
    return Sentence(text[start:end], start, end)
