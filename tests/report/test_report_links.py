"""Link targets in the published report: only http, https and doi, never live markup."""

from __future__ import annotations

from markdown_it import MarkdownIt

from riskscore.outputs.report.mdtext import image, link, link_target


def rendered(markdown: str) -> str:
    return MarkdownIt("commonmark").render(markdown)


def test_hostile_urls_never_become_markup_or_links():
    for url in ["x><script>alert(1)</script><b", "javascript:alert(1)", "JaVaScRiPt:alert(1)",
                "data:text/html,<b>x</b>", "vbscript:x", "//evil.example/x"]:
        html = rendered(link("Source", url))
        assert "<script" not in html and "<b>" not in html
        assert "href" not in html                      # shown as text, not linked
        assert link_target(url) is None


def test_allowed_schemes_are_linked_with_unsafe_characters_encoded():
    html = rendered(link("Title [1]", "https://example.org/a b?q=<x>&r=\"y\""))
    assert 'href="https://example.org/a%20b?q=%3Cx%3E&amp;r=%22y%22"' in html
    assert ">Title [1]</a>" in html
    assert link_target("doi:10.1000/182") == "https://doi.org/10.1000/182"
    assert link_target("http://example.org") == "http://example.org"


def test_image_paths_with_spaces_still_render():
    html = rendered(image("Bars", "figures/my report-bars.svg"))
    assert '<img src="figures/my%20report-bars.svg" alt="Bars"' in html
