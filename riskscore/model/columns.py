"""The roles of a data table's columns, declared in ``[columns]`` (model or project file).

An analyst's table holds more than the model's indicators: a name, a code, a region,
a population, notes. Each column that is not an indicator (or a denominator, or a
panel's ``date``/``published``) must be given a role, so that no column is read
by accident and none is dropped unnoticed::

    [columns]
    id = "iso3"                    # the entity id column (default "entity")
    label = "name"                 # the display label (default: the id itself)
    groups = ["region", "income"]  # text grouping columns (index.groups is an alias)
    keep = ["population", "note"]  # other data carried to the outputs; a kept number
                                   # may be an indicator's denominator
    ignore = ["comment"]           # read past, never used
"""

from __future__ import annotations

from dataclasses import dataclass

from riskscore.support.tomlio import Section

ROLE_KEYS = ("id", "label", "groups", "keep", "ignore")
RESERVED = ("date", "published")   # a panel's own columns


@dataclass(frozen=True)
class Columns:
    """Which column of a data table plays which role (see the module docstring)."""

    id: str = "entity"
    label: str | None = None
    groups: tuple[str, ...] = ()
    keep: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()

    @property
    def named(self) -> tuple[str, ...]:
        """Every column given a role, id first."""
        return (self.id, *((self.label,) if self.label else ()), *self.groups, *self.keep,
                *self.ignore)

    def role(self, column: str) -> str | None:
        """``id``, ``label``, ``groups``, ``keep`` or ``ignore``; None if not declared."""
        if column == self.id:
            return "id"
        if column == self.label:
            return "label"
        for role in ("groups", "keep", "ignore"):
            if column in getattr(self, role):
                return role
        return None


def read_columns(sec: Section | None, index_groups: list[str] | tuple[str, ...] = ()) -> Columns:
    """``[columns]`` from ``sec`` (None: the defaults); ``index.groups`` joins ``groups``.

    Raises the section's error for a column named twice or in two roles.
    """
    if sec is None:
        columns = Columns(groups=tuple(dict.fromkeys(index_groups)))
        _check_roles(None, columns)
        return columns
    id_column = sec.text("id", "entity", required=False)
    if not id_column or not id_column.strip():
        sec.fail("id", "is empty", "the name of the column holding entity ids, e.g. 'iso3'")
    label = sec.text("label")
    if label is not None and not label.strip():
        sec.fail("label", "is empty", "the name of the column holding display labels")
    groups = tuple(dict.fromkeys([*sec.text_list("groups"), *index_groups]))
    columns = Columns(id=id_column, label=label, groups=groups,
                      keep=tuple(sec.text_list("keep")), ignore=tuple(sec.text_list("ignore")))
    sec.done()
    _check_roles(sec, columns)
    return columns


def _check_roles(sec: Section | None, columns: Columns) -> None:
    seen: dict[str, str] = {}
    for role in ROLE_KEYS:
        value = getattr(columns, role)
        names = value if isinstance(value, tuple) else ((value,) if value else ())
        for name in names:
            if name in RESERVED and sec is not None:
                sec.fail(role, f"names {name!r}, a panel's own column",
                         "date and published left out of [columns]: a panel reads them itself")
            if name in seen and not (role == "groups" and seen[name] == "groups"):
                where = f"{seen[name]} and {role}" if seen[name] != role else f"{role} twice"
                if sec is not None:
                    sec.fail(role, f"names the column {name!r} in {where}",
                             "each column in one role")
            seen.setdefault(name, role)
