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

Linear time: the word before each full stop is found through an index of the
text's word runs built once (``_WordIndex``), never by scanning back from the
start of the text, so a 1 MB document splits in about a second.
"""

from __future__ import annotations

import re
from bisect import bisect_right
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
_WORD_RUN = re.compile(r"[\w.]+")
_LOWERCASE = re.compile(r"[a-z]*")
_LONGEST_ABBREVIATION = max(map(len, ABBREVIATIONS))
_DOTTED_ACRONYM = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")
_NEXT_WORD = re.compile(r"\s+(\w+)")


class _WordIndex:
    """Where the word before any position starts, in O(log n) per question.

    "The word before ``position``" is the longest run of word characters and
    full stops ending there (what a search for ``([\\w.]+)$`` in ``text[:position]``
    finds, including ``$``'s match before a final line break), looked up by
    bisecting the runs of the text, which are found once.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        runs = [(m.start(), m.end()) for m in _WORD_RUN.finditer(text)]
        self.starts = [start for start, _ in runs]
        self.ends = [end for _, end in runs]
        # Where each run's leading lowercase ASCII letters stop.
        self.lower_until = [m.end() if (m := _LOWERCASE.match(text, start, end)) else start
                            for start, end in runs]

    def run_before(self, position: int) -> tuple[int, int] | None:
        """(run index, word start) of the word ending at ``position``, or None."""
        if position > 0 and self.text[position - 1] == "\n":
            position -= 1   # '$' also matches before a line break that ends the text
        i = bisect_right(self.starts, position - 1) - 1
        if i < 0 or self.ends[i] < position or self.starts[i] >= position:
            return None
        return i, self.starts[i]

    def word_before(self, position: int) -> tuple[int, int] | None:
        """The half-open range of the word before ``position``, or None."""
        found = self.run_before(position)
        if found is None:
            return None
        end = position - 1 if self.text[position - 1] == "\n" else position
        return found[1], end

    def lowercase_word_before(self, position: int) -> bool:
        """Whether the word before ``position`` is two or more letters a-z."""
        found = self.run_before(position)
        if found is None:
            return False
        i, start = found
        end = position - 1 if self.text[position - 1] == "\n" else position
        return end - start >= 2 and self.lower_until[i] >= end


def split_sentences(text: str) -> list[Sentence]:
    """All sentences of ``text`` in order, with exact offsets (repeats included)."""
    sentences: list[Sentence] = []
    words = _WordIndex(text)
    for block_start, block_end in _blocks(text):
        bullet = _BULLET.match(text, block_start, block_end)
        start = bullet.end() if bullet else block_start
        for s_start, s_end in _split_block(text, start, block_end, words):
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


def _split_block(text: str, start: int, end: int, words: _WordIndex) -> list[tuple[int, int]]:
    pieces = []
    piece_start = start
    for match in _TERMINAL.finditer(text, start, end):
        boundary = match.end()
        spaced = _OPENING.match(text, boundary, end)
        if spaced is not None and text[spaced.end()].islower():
            continue
        if spaced is None and not (_NO_SPACE.match(text, boundary, end)
                                   and words.lowercase_word_before(match.start())):
            continue
        if not _ends_sentence(text, match, end, words):
            continue
        pieces.append((piece_start, boundary))
        piece_start = spaced.end() if spaced else boundary
    pieces.append((piece_start, end))
    return pieces


def _ends_sentence(text: str, match: re.Match[str], end: int, words: _WordIndex) -> bool:
    if not match.group().startswith("."):
        return True
    span = words.word_before(match.start())
    if span is None:
        return True
    word_start, word_end = span
    if word_end - word_start <= _LONGEST_ABBREVIATION:   # short words only: no long copies
        word = text[word_start:word_end]
        if word in ABBREVIATIONS or re.fullmatch(r"[A-Z]", word):
            return False
    if _DOTTED_ACRONYM.fullmatch(text, word_start, word_end):
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
