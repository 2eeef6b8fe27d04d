"""Find the figures in a sentence: percentages, money, ratios and counts.

Each ``Figure`` keeps the exact matched text (qualifier included) and its
offsets, a value in plain units (``$4.3 million`` -> 4300000.0), a unit and a
bound:

- unit: ``"%"`` for percentages and ratios ("eight in every 10" -> 80),
  ``"pp"`` for percentage points, an ISO 4217 code for money (``"$"`` is taken
  as ``"USD"``, "somoni" as ``"TJS"``), the counted noun for counts
  ("over 4,000 cameras" -> ``"cameras"``), and ``"number"`` for a scaled number
  with no noun ("72 million to ...").
- bound: ``"exact"``; ``"lower"`` after "over", "more than", "above", "at least",
  "upwards of" (the true value is at least the figure); ``"upper"`` after "under",
  "less than", "below", "fewer than", "up to", "at most" and also "nearly",
  "almost", "just under" (rule chosen here: "nearly 70 percent" means the true
  value is a little below 70, so 70 is an upper bound); ``"approx"`` after
  "about", "some", "around", "roughly", "approximately", "an estimated",
  "close to".

Years are not figures: a bare four-digit number from 1900 to 2100 without a
thousands comma ("in 2018", "by 2050") is skipped unless a percent sign,
currency or scale word makes it a quantity ("2000 percent", "$2020").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

BOUNDS = ("exact", "lower", "upper", "approx")

QUALIFIERS = {
    "lower": ("more than", "over", "above", "at least", "upwards of", "in excess of"),
    "upper": ("less than", "fewer than", "under", "below", "up to", "at most", "nearly",
              "almost", "just under", "not quite"),
    "approx": ("about", "some", "around", "roughly", "approximately", "an estimated",
               "close to", "circa", "an approximate"),
}

CURRENCY_SYMBOLS = {"US$": "USD", "$": "USD", "€": "EUR", "£": "GBP", "¥": "CNY"}
CURRENCY_CODES = ("USD", "EUR", "GBP", "CNY", "RMB", "KZT", "KGS", "TJS", "UZS", "TMT", "RUB")
CURRENCY_WORDS = {
    "dollars": "USD", "dollar": "USD", "US dollars": "USD", "euros": "EUR", "euro": "EUR",
    "pounds": "GBP", "yuan": "CNY", "renminbi": "CNY", "somoni": "TJS", "tenge": "KZT",
    "som": "KGS", "soms": "KGS", "sum": "UZS", "soum": "UZS", "manat": "TMT", "rubles": "RUB",
    "roubles": "RUB", "ruble": "RUB", "rouble": "RUB",
}
CURRENCIES = frozenset({*CURRENCY_SYMBOLS.values(), *CURRENCY_CODES, *CURRENCY_WORDS.values()})
SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
          "k": 1e3, "m": 1e6, "mn": 1e6, "bn": 1e9, "tn": 1e12}

_UNITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
          "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
          "eighteen", "nineteen")
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
NUMBER_WORDS = {word: i for i, word in enumerate(_UNITS)}
NUMBER_WORDS.update({word: 20 + 10 * i for i, word in enumerate(_TENS)})
NUMBER_WORDS["hundred"] = 100

# Words that end a counted noun phrase or show that a number counts nothing.
_STOPWORD_TEXT = """
a an the and or but nor of in on at to by for from with as than that which who whom whose
is are was were be been being has have had do does did will would can could may might must
shall should per percent percentage points point times each every out into onto over under
about some around up down off since until till between among against this these those it its
their there here more less most least many much few other another such only also just not
no so too very if when where while whereas because although though then now ago yet still
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())

# Nouns that are plural without an "s": a counted phrase ends after them.
PLURAL_NOUNS = frozenset({"people", "children", "men", "women", "police", "staff", "personnel",
                          "equipment", "data"})

_word_alt = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
_NUM_WORD = rf"(?:(?:{'|'.join(_TENS)})(?:[-\s](?:{'|'.join(_UNITS[1:10])}))?|{_word_alt})"
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_NUM = rf"(?:(?<![\w.,$-])(?:{_DIGITS})(?!\w)|(?<![\w-])(?i:{_NUM_WORD})(?![\w-]))"
_SCALE_WORD = r"(?:\s+(?:thousand|million|billion|trillion)\b)"
_SCALE_SHORT = r"(?:\s?(?:bn|mn|tn|m|k)\b)"
_SYMBOL = "|".join(re.escape(s) for s in sorted(CURRENCY_SYMBOLS, key=len, reverse=True))
_CODE = "|".join(CURRENCY_CODES)
_CURRENCY_WORD = "|".join(re.escape(w) for w in sorted(CURRENCY_WORDS, key=len, reverse=True))

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("ratio", re.compile(rf"(?P<n>{_NUM})\s+(?:in|out\s+of)\s+(?:every\s+)?(?P<d>{_NUM})")),
    ("points", re.compile(rf"(?P<n>{_NUM})\s*(?:percentage[-\s]points?|pp\b)")),
    ("percent", re.compile(rf"(?P<n>{_NUM})\s*(?:%|(?i:per\s?cent)(?!age)\b)")),
    ("money_symbol", re.compile(
        rf"(?P<cur>{_SYMBOL}|(?<!\w)(?:{_CODE})\s?)(?P<n>{_DIGITS})"
        rf"(?P<scale>{_SCALE_WORD}|{_SCALE_SHORT})?")),
    ("money_word", re.compile(
        rf"(?P<n>{_NUM})(?P<scale>{_SCALE_WORD})?\s+(?P<cur>{_CURRENCY_WORD})(?!\w)")),
    ("count", re.compile(
        rf"(?P<n>{_NUM})(?P<scale>{_SCALE_WORD})?"
        r"(?:\s+(?P<noun>[a-z][a-z-]*)(?:\s+(?P<noun2>[a-z][a-z-]*))?)?")),
)
_QUALIFIER = re.compile(
    r"(?<!\w)(?P<q>" + "|".join(
        re.escape(q).replace(r"\ ", r"\s+")
        for q in sorted((q for qs in QUALIFIERS.values() for q in qs), key=len, reverse=True))
    + r")\s+$", re.IGNORECASE)
_BOUND_OF = {q: bound for bound, qs in QUALIFIERS.items() for q in qs}


@dataclass(frozen=True)
class Figure:
    """One figure: exact text and offsets, value, unit and bound."""

    text: str
    value: float
    unit: str
    bound: str
    start: int
    end: int

    def to_dict(self) -> dict:
        return {"text": self.text, "value": self.value, "unit": self.unit, "bound": self.bound,
                "start": self.start, "end": self.end}


def find_figures(text: str, offset: int = 0) -> list[Figure]:
    """The figures in ``text``, in order, without overlaps.

    ``offset`` is added to every start and end, so figures found in a sentence
    can carry offsets into the whole document.
    """
    # Leftmost first, then longest, then the earlier pattern (money before count).
    found: list[tuple[int, int, int, Figure]] = []
    for priority, (kind, pattern) in enumerate(_PATTERNS):
        for match in pattern.finditer(text):
            figure = _figure(kind, match)
            if figure is not None:
                found.append((figure.start, figure.start - figure.end, priority, figure))
    chosen: list[Figure] = []
    taken_until = -1
    for start, _, _, figure in sorted(found, key=lambda item: item[:3]):
        if start >= taken_until:
            chosen.append(figure)
            taken_until = figure.end
    return [_qualified(text, figure, offset) for figure in chosen]


def parse_number(token: str) -> float:
    """A number written in digits ("4,000", "1.7") or words ("Forty-two", "eight")."""
    token = token.strip()
    if token[0].isdigit():
        return float(token.replace(",", ""))
    words = re.split(r"[-\s]+", token.lower())
    return float(sum(NUMBER_WORDS[word] for word in words))


def _figure(kind: str, match: re.Match[str]) -> Figure | None:
    number = match.group("n")
    value = parse_number(number)
    if kind == "ratio":
        denominator = parse_number(match.group("d"))
        if denominator == 0 or denominator < value or _is_year(match.group("d")):
            return None
        return _make(match, value / denominator * 100, "%")
    if kind == "points":
        return _make(match, value, "pp")
    if kind == "percent":
        return _make(match, value, "%")
    scale = match.group("scale")
    factor = SCALES[scale.strip().lower()] if scale else 1.0
    if kind == "money_symbol":
        currency = match.group("cur").strip()
        unit = CURRENCY_SYMBOLS.get(currency, "CNY" if currency == "RMB" else currency)
        return _make(match, value * factor, unit)
    if kind == "money_word":
        return _make(match, value * factor, CURRENCY_WORDS[match.group("cur")])
    # A count: a number with a noun after it, or a scaled number on its own.
    if _is_year(number) and not scale:
        return None
    noun = match.group("noun")
    if noun is None or noun in STOPWORDS or noun in NUMBER_WORDS:
        if not scale:
            return None
        return _make(match, value * factor, "number", end=match.end("scale"))
    if not number[0].isdigit() and value < 2:
        return None  # "one" is too often a pronoun ("one of them")
    end = match.end("noun")
    noun2 = match.group("noun2")
    if noun2 and not noun.endswith("s") and noun not in PLURAL_NOUNS and noun2 not in STOPWORDS:
        end = match.end("noun2")
    unit = match.string[match.start("noun"):end]
    return _make(match, value * factor, unit, end=end)


def _make(match: re.Match[str], value: float, unit: str, end: int | None = None) -> Figure:
    end = match.end() if end is None else end
    start = match.start()
    return Figure(match.string[start:end], value, unit, "exact", start, end)


def _qualified(text: str, figure: Figure, offset: int) -> Figure:
    start, bound = figure.start, "exact"
    qualifier = _QUALIFIER.search(text, 0, figure.start)
    if qualifier is not None:
        phrase = re.sub(r"\s+", " ", qualifier.group("q").lower())
        start, bound = qualifier.start(), _BOUND_OF[phrase]
    return Figure(text[start:figure.end], figure.value, figure.unit, bound, start + offset,
                  figure.end + offset)


def _is_year(token: str) -> bool:
    return re.fullmatch(r"\d{4}", token) is not None and 1900 <= int(token) <= 2100
