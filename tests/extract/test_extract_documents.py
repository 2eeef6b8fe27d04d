"""Documents in other styles, with countries and suppliers the profiles do not cover."""

from __future__ import annotations

from pathlib import Path

from riskscore.inputs.extract import extract_document

DATA = Path(__file__).resolve().parent / "data"


def run(name, gazetteer, registry, hints):
    path = DATA / name
    extraction = extract_document(path, gazetteer=gazetteer, registry=registry, hints=hints)
    text = path.read_text(encoding="utf-8")
    for c in extraction.candidates:
        assert text[c.start:c.end] == c.sentence
        for f in c.figures:
            assert text[f.start:f.end] == f.text
    return extraction


def test_wire_story_on_mongolia(gazetteer, registry, hints):
    extraction = run("wire_mongolia.txt", gazetteer, registry, hints)
    first = extraction.candidates[0]
    assert first.sentence.startswith("ULAANBAATAR, March 3 (Wire) - Mongolia signed")
    assert first.entities == ("Mongolia",)
    assert [s.id for s in first.suppliers] == ["huawei"]
    assert [(f.text, f.value, f.unit, f.bound) for f in first.figures] == [
        ("$35 million", 35e6, "USD", "exact"),
        ("more than 60 percent", 60.0, "%", "lower"),
    ]
    assert {"vendor_telecom_share", "prc_deal_value"} <= set(first.indicators)
    second = extraction.candidates[1]
    assert [(f.text, f.value, f.unit, f.bound) for f in second.figures] == [
        ("about 1,200 base stations", 1200.0, "base stations", "approx")]
    assert second.indicators == ("debt_commitments_gdp",)
    # "Mr. Batbold ... the U.S. had raised no objection." triggers no hint
    assert all("Batbold" not in c.sentence for c in extraction.candidates)


def test_bulleted_list_on_kenya(gazetteer, registry, hints):
    extraction = run("bullets_kenya.md", gazetteer, registry, hints)
    sentences = [c.sentence for c in extraction.candidates]
    assert sentences == [
        "Nairobi police installed 1,800 cameras supplied by Huawei under a safe city contract.",
        "Hytera radios now serve nearly 3,000 officers in Kenya.",
        "One in five Kenyan subscribers uses a network built by ZTE.",
    ]
    nairobi, hytera, ratio = extraction.candidates
    assert nairobi.entities == ("Kenya",)
    assert "prc_surveillance_vendors" in nairobi.indicators
    assert [s.id for s in hytera.suppliers] == ["hytera"]
    assert [(f.value, f.unit, f.bound) for f in hytera.figures] == [(3000.0, "officers", "upper")]
    assert [(f.text, f.value, f.unit) for f in ratio.figures] == [("One in five", 20.0, "%")]
    assert ratio.entities == ("Kenya",)
    assert "vendor_telecom_share" in ratio.indicators


def test_paragraph_with_several_countries_and_ambiguous_names(gazetteer, registry, hints):
    extraction = run("multi_country.txt", gazetteer, registry, hints)
    by_start = {c.sentence.split()[0] + " " + c.sentence.split()[1]: c
                for c in extraction.candidates}
    quito = by_start["In Quito,"]
    assert quito.entities == ("Ecuador",)  # "Georgia Tech" is not Georgia
    assert [s.id for s in quito.suppliers] == ["ceiec", "hikvision"]
    assert [(f.value, f.unit) for f in quito.figures] == [(4300.0, "cameras")]
    georgia = by_start["Hikvision cameras"]
    assert georgia.entities == ("Georgia",)
    assert [(f.text, f.value, f.unit, f.bound) for f in georgia.figures] == [
        ("roughly $2.5 million", 2.5e6, "USD", "approx")]
    chad = by_start["Chad Smith,"]
    assert chad.entities == ("Chad",)  # only "in Chad", not "Chad Smith"
    assert [s.id for s in chad.suppliers] == ["dahua"]
