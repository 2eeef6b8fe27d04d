"""Number the report's sources: the article first, then every external source by URL.

Sources are numbered in the order the report first cites them (countries in rank
order, indicators in model order, evidence in profile order), deduplicated by URL
(or by title when a source has no URL), so a country section can say "[3]" and
the Sources section lists 3 once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from riskscore.engine.assessment import Assessment, short_label
from riskscore.model.evidence import Evidence


@dataclass
class Source:
    number: int
    kind: str                      # "article", "external" or "data"
    title: str
    url: str | None = None
    date: dt.date | None = None
    cited_for: dict[str, list[str]] = field(default_factory=dict)  # entity -> indicator labels


class SourceIndex:
    """The numbered sources of one assessment; ``number(evidence)`` gives an item's number."""

    def __init__(self, result: Assessment, article_title: str | None):
        self._by_key: dict[str, Source] = {}
        article = result.inputs.article
        if article is not None:
            self._add("article", Source(1, "article", article_title or article.path.name))
        for e in result.order():
            entity = result.entities[e]
            for ind_id in result.hierarchy.indicator_ids:
                obs = result.observations[(entity, ind_id)]
                for item in obs.evidence:
                    cited = self._for(item).cited_for.setdefault(entity, [])
                    label = short_label(result.model, ind_id)
                    if label not in cited:
                        cited.append(label)

    @property
    def sources(self) -> list[Source]:
        return sorted(self._by_key.values(), key=lambda s: s.number)

    def number(self, item: Evidence) -> int:
        return self._by_key[_key(item)].number

    def _for(self, item: Evidence) -> Source:
        key = _key(item)
        if key not in self._by_key:
            title = item.source or ("article" if item.kind == "article" else "unnamed source")
            self._add(key, Source(len(self._by_key) + 1, item.kind, title, item.url, item.date))
        return self._by_key[key]

    def _add(self, key: str, source: Source) -> None:
        self._by_key[key] = source


def _key(item: Evidence) -> str:
    if item.kind == "article":
        return "article"
    return f"url:{item.url}" if item.url else f"title:{item.source}"
