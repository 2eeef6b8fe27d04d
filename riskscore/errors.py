"""The exceptions a user may see.

Every message names the file, the key (or row) and what was expected, in one
shape: ``<file>: <key>: <problem>; expected <what>``. The command line turns
these into a one-line error and exit code 1; nothing else is caught.
"""

from __future__ import annotations


class RiskscoreError(Exception):
    """Base class: a problem with the user's config, data or evidence."""

    def __init__(self, source: object, key: str | None, problem: str, expected: str | None = None):
        self.source = str(source)
        self.key = key
        self.problem = problem
        self.expected = expected
        super().__init__(self.message)

    @property
    def message(self) -> str:
        where = self.source if not self.key else f"{self.source}: {self.key}"
        text = f"{where}: {self.problem}"
        if self.expected:
            text += f"; expected {self.expected}"
        return text


class ConfigError(RiskscoreError):
    """The model configuration (or a command-line override of it) is invalid."""


class DataError(RiskscoreError):
    """A profile, registry or data table is invalid."""


class EvidenceError(DataError):
    """A value's evidence does not check out (e.g. a quote not in the article)."""


class ArgumentError(ConfigError):
    """A Python argument of the library is invalid: the message names the parameter.

    ``ArgumentError("sources", "is 'Article'", "'all' or 'article'")`` reads
    ``argument sources: is 'Article'; expected 'all' or 'article'``. The command line
    re-labels it with the option the parameter comes from (``--sources``).
    """

    def __init__(self, parameter: str, problem: str, expected: str | None = None):
        self.parameter = parameter
        super().__init__("argument", parameter, problem, expected)

    @property
    def message(self) -> str:
        text = f"argument {self.parameter}: {self.problem}"
        return text + (f"; expected {self.expected}" if self.expected else "")


class InputErrors(RiskscoreError):
    """Several independent errors found in one run (``score``, ``report`` ...): each keeps
    its own line, as ``riskscore validate`` prints them."""

    def __init__(self, errors: list[RiskscoreError]):
        self.errors = list(errors)
        super().__init__(self.errors[0].source, self.errors[0].key,
                         f"and {len(self.errors) - 1} more errors")

    @property
    def message(self) -> str:
        return (f"{len(self.errors)} errors in the inputs, one per line:\n"
                + "\n".join(err.message for err in self.errors))


class OutputError(RiskscoreError):
    """An output path cannot be written (a missing folder, a device, no permission)."""


def did_you_mean(given: str, choices, n: int = 1) -> str:
    """' (did you mean 'X'?)' for the closest of ``choices`` to ``given`` (any case), or ''."""
    import difflib

    by_fold: dict[str, str] = {}
    for choice in choices:
        by_fold.setdefault(str(choice).casefold(), str(choice))
    close = difflib.get_close_matches(given.casefold(), list(by_fold), n=n, cutoff=0.6)
    if not close:
        return ""
    return " (did you mean " + " or ".join(repr(by_fold[c]) for c in close) + "?)"
