"""The source documents a project's article quotes are checked against.

A project is a folder holding ``profiles/`` and its source texts:

- the single seed article of older projects, the one ``*.txt`` beside ``profiles/``
  (or ``--article``); quotes that name no document are checked against it;
- a ``documents/`` folder of further texts (``*.txt`` or ``*.md``), each with a
  sidecar ``<name>.toml`` giving its ``date`` (required), ``title`` (required),
  ``outlet`` and ``url``. A quote names its document (``document = "<name>"``) and
  is verified verbatim against that text; the document's date is the quote's
  publication date.

The seed article may have a sidecar too (``<stem>.toml`` beside it); without one
its date is the model's ``evidence_date``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from riskscore.errors import DataError
from riskscore.model.evidence import Article
from riskscore.support.tomlio import Section, read_toml

DOCUMENTS_DIR = "documents"
TEXT_SUFFIXES = (".txt", ".md")


@dataclass(frozen=True)
class Document:
    id: str
    article: Article
    date: dt.date | None
    title: str | None = None
    outlet: str | None = None
    url: str | None = None

    def to_dict(self) -> dict:
        return {"id": self.id, "path": str(self.article.path), "sha256": self.article.sha256,
                "date": self.date, "title": self.title, "outlet": self.outlet, "url": self.url}


@dataclass(frozen=True)
class Documents:
    """The documents of a project; ``default`` is the id of the seed article, if any."""

    items: dict[str, Document]
    default: str | None = None
    directory: Path | None = None

    @classmethod
    def single(cls, article: Article, date: dt.date | None = None) -> Documents:
        doc = Document(article.path.stem, article, date)
        return cls({doc.id: doc}, doc.id)

    @property
    def article(self) -> Article | None:
        return self.items[self.default].article if self.default else None

    def resolve(self, doc_id: str | None, where: Path, key: str) -> Document:
        """The document a quote names (the seed article when it names none)."""
        if doc_id is None:
            if self.default is None:
                raise DataError(where, key, "names no document and the project has no seed "
                                "article", "document = one of " + ", ".join(sorted(self.items)))
            return self.items[self.default]
        found = self.items.get(doc_id)
        if found is None:
            raise DataError(where, f"{key}.document", f"is {doc_id!r}, not a document of the "
                            f"project ({self.directory or 'no documents/ folder'})",
                            "one of " + (", ".join(sorted(self.items)) or "(none)"))
        return found


def load_documents(project: Path, article_path: Path | None = None,
                   default_date: dt.date | None = None) -> Documents:
    """The seed article (if any) and every document of ``project/documents``."""
    project = Path(project)
    folder = project / DOCUMENTS_DIR
    items: dict[str, Document] = {}
    if folder.is_dir():
        for path in sorted(folder.iterdir()):
            if path.suffix in TEXT_SUFFIXES and path.is_file():
                items[path.stem] = _load_document(path, None, required=True)
    seed = article_path or _find_seed(project, allow_none=bool(items))
    default = None
    if seed is not None:
        doc = _load_document(Path(seed), default_date, required=False)
        if doc.id in items and items[doc.id].article.path.resolve() != Path(seed).resolve():
            raise DataError(seed, None, f"has the same name as documents/{doc.id}",
                            "distinct document names")
        items[doc.id] = doc
        default = doc.id
    return Documents(items, default, folder if folder.is_dir() else None)


def _find_seed(project: Path, allow_none: bool) -> Path | None:
    candidates = sorted(project.resolve().glob("*.txt"))
    if len(candidates) == 1:
        return project / candidates[0].name
    if not candidates and allow_none:
        return None
    found = ", ".join(c.name for c in candidates) or "none"
    raise DataError(project, None, f"holds {len(candidates)} article text files ({found})",
                    "exactly one *.txt beside the profiles directory, or pass --article"
                    + ("" if candidates else f", or a {DOCUMENTS_DIR}/ folder"))


def _load_document(path: Path, default_date: dt.date | None, required: bool) -> Document:
    article = Article.load(path)
    sidecar = path.with_suffix(".toml")
    if not sidecar.is_file():
        if required:
            raise DataError(sidecar, None, "file not found",
                            f"a sidecar TOML for {path.name} with date and title (and outlet, url)")
        return Document(path.stem, article, default_date)
    top = Section(read_toml(sidecar, DataError), sidecar, "", DataError)
    doc = Document(path.stem, article, top.date("date", required=True),
                   top.text("title", required=required), top.text("outlet"), top.text("url"))
    top.done()
    return doc
