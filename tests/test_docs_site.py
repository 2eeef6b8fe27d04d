"""The documentation site: its generated reference covers the code, every config key the
loader accepts is documented in a page, its Python examples run, and the README's links
point at pages that exist. (`mkdocs build --strict` itself runs in .ci/run.)"""

from __future__ import annotations

import importlib.util
import re

import pytest

from support import ROOT

DOCS = ROOT / "docs"


def _hook():
    spec = importlib.util.spec_from_file_location("generated", DOCS / "hooks" / "generated.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _pages() -> dict[str, str]:
    return {p.relative_to(DOCS).as_posix(): p.read_text(encoding="utf-8")
            for p in DOCS.rglob("*.md")}


def test_every_key_the_loader_accepts_is_documented_in_a_page():
    from riskscore.model.schema import model_keys

    keys = model_keys()
    assert {"[index]", "[nodes.ID]", "[indicators.ID]", "[columns]"} <= set(keys)
    assert "goalposts" in keys["[indicators.ID]"] and "aggregation" in keys["[nodes.ID]"]
    written = "\n".join(text for name, text in _pages().items()
                        if name != "reference/config.md")
    undocumented = [f"{table} {key}" for table, names in keys.items() for key in names
                    if f"`{key}`" not in written]
    assert not undocumented, "keys the loader accepts but no page explains: " + \
        ", ".join(undocumented)


def test_the_generated_references_list_every_command_and_project_key():
    import click

    from riskscore.cli.main import cli
    from riskscore.inputs.project import PROJECT_KEYS

    hook = _hook()
    text = hook.cli_markdown()
    ctx = click.Context(cli, info_name="riskscore")
    for name in cli.list_commands(ctx):
        assert f"## `riskscore {name}`" in text, name
    assert "--from-coinr" in text and "Usage: riskscore score" in text
    page = hook.on_page_markdown("<!-- config-keys -->\n<!-- project-keys -->")
    assert "`[indicators.ID]`" in page and "`goalposts`" in page
    assert all(f"| `{key}` |" in page for key in PROJECT_KEYS)


def _python_blocks(text: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", text, re.S)


@pytest.mark.parametrize("page", ["README.md", "docs/tutorials/first-index-from-csv.md",
                                  "docs/tutorials/coming-from-coinr.md",
                                  "docs/tutorials/reproducing-a-published-index.md",
                                  "docs/explanation/decomposition.md"])
def test_python_examples_run(page, monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    blocks = _python_blocks((ROOT / page).read_text(encoding="utf-8"))
    assert blocks
    for block in blocks:
        namespace: dict = {}
        exec(compile(block, page, "exec"), namespace)   # noqa: S102 - our own examples
    if page.endswith("decomposition.md"):
        shown = capsys.readouterr().out
        assert "18.75" in shown and "73.75" not in shown


def test_readme_links_into_the_docs_exist():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    links = re.findall(r"\]\((docs/[^)#]+)\)", readme)
    assert len(links) >= 5
    for link in links:
        assert (ROOT / link).is_file(), link


def test_the_nav_names_every_tutorial_and_only_existing_pages():
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    named = re.findall(r":\s+([\w/-]+\.md)\s*$", nav, re.M)
    assert all((DOCS / page).is_file() for page in named)
    for tutorial in ("first-index-from-csv", "first-evidence-profile",
                     "reproducing-a-published-index", "coming-from-coinr"):
        assert f"tutorials/{tutorial}.md" in named
