"""A negated supplier name ("not Huawei", "no Huawei equipment") is not a supplier mention:
in the finder, in `riskscore extract` and in `riskscore audit`'s shared-evidence check.

Every sentence here is hand-written; the expected suppliers are read off the sentence.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from riskscore.cli.main import cli
from riskscore.inputs.extract.suppliers import find_suppliers
from riskscore.inputs.registry import load_registry

CONFIG = Path(__file__).resolve().parents[1] / "fixtures" / "example" / "config"

REGISTRY = """
[instruments.el]
label = "Entity List"
severity = 2

[suppliers.huawei]
name = "Huawei Technologies Co., Ltd."
aliases = ["Huawei"]
country = "CN"

[suppliers.zte]
name = "ZTE Corporation"
aliases = ["ZTE"]
country = "CN"

[suppliers.dahua]
name = "Dahua Technology"
aliases = ["Dahua"]
country = "CN"
"""


@pytest.fixture
def registry(tmp_path):
    path = tmp_path / "registry.toml"
    path.write_text(REGISTRY, encoding="utf-8")
    return load_registry(path)


# (sentence, the suppliers it says are there, the ones it names only to deny)
SENTENCES = [
    ("The cameras are not Huawei.", [], ["huawei"]),
    ("Kyrgyzstan has no Huawei equipment in its core network.", [], ["huawei"]),
    ("The ministry does not use Huawei cameras.", [], ["huawei"]),
    ("The operator doesn't buy from Huawei.", [], ["huawei"]),
    ("The operator doesn’t buy from Huawei.", [], ["huawei"]),          # typographic apostrophe
    ("The city never bought Dahua cameras.", [], ["dahua"]),
    ("It was built without Huawei.", [], ["huawei"]),
    ("Neither Huawei nor ZTE bid for the contract.", [], ["huawei", "zte"]),
    ("There is no Huawei or ZTE equipment in the network.", [], ["huawei", "zte"]),
    ("The tender excluded vendors: not Huawei, ZTE or Dahua.", [], ["huawei", "zte", "dahua"]),
    ("The network runs on non-Huawei gear.", [], ["huawei"]),
    ("The capital is building a Huawei-free network.", [], ["huawei"]),
    ("The city chose Dahua rather than Huawei.", ["dahua"], ["huawei"]),
    ("Huawei, not ZTE, built the safe-city system.", ["huawei"], ["zte"]),
    ("The country has no Huawei equipment but buys ZTE routers.", ["zte"], ["huawei"]),
    # not negations
    ("Huawei built the safe-city system.", ["huawei"], []),
    ("Not only Huawei but also ZTE supplied equipment.", ["huawei", "zte"], []),
    ("Kazakhstan, not Kyrgyzstan, uses Huawei cameras.", ["huawei"], []),
    ("It is not clear whether Huawei built the data centre.", ["huawei"], []),
    ("There is no doubt. Huawei built it.", ["huawei"], []),
    ("The minister said ZTE and Dahua will supply the cameras.", ["zte", "dahua"], []),
]


@pytest.mark.parametrize("sentence, said, denied", SENTENCES, ids=[s for s, _, _ in SENTENCES])
def test_negated_mentions_are_found_but_marked(registry, sentence, said, denied):
    mentions = find_suppliers(sentence, registry)
    assert [m.id for m in mentions if not m.negated] == said
    assert [m.id for m in mentions if m.negated] == denied
    for m in mentions:
        assert sentence[m.start:m.end] == m.text


def test_case_is_ignored_only_when_asked(registry):
    sentence = "The operator has no HUAWEI kit, and its routers come from zte."
    assert find_suppliers(sentence, registry) == []
    found = find_suppliers(sentence, registry, ignore_case=True)
    assert [(m.id, m.negated) for m in found] == [("huawei", True), ("zte", False)]


def test_extract_drafts_no_supplier_from_a_negated_mention(tmp_path, registry):
    (tmp_path / "registry.toml").write_text(REGISTRY, encoding="utf-8")
    document = tmp_path / "wire.txt"
    document.write_text("Kyrgyzstan has no Huawei equipment in its surveillance network. "
                        "Tajikistan installed Huawei cameras in 2019.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", str(document), "--format", "json",
                                      "--registry", str(tmp_path / "registry.toml"),
                                      "--gazetteer", str(CONFIG / "gazetteer.toml"),
                                      "--hints", str(CONFIG / "hints.toml")])
    assert result.exit_code == 0, result.output
    found = {c["sentence"]: [s["id"] for s in c["suppliers"]]
             for c in json.loads(result.output)["candidates"]}
    assert found.get("Kyrgyzstan has no Huawei equipment in its surveillance network.", []) == []
    assert found["Tajikistan installed Huawei cameras in 2019."] == ["huawei"]


MODEL = """
[index]
id = "risk"
evidence_date = 2019-11-19
registry = "registry.toml"

[indicators.x]
goalposts = [0, 100]

[indicators.z]
goalposts = [0, 10]
"""


def _profile(x_judgement: str, z_judgement: str) -> str:
    return f"""
entity = "Delta"
as_of = 2019-11-19

[values.x]
value = 40
judgement = "{x_judgement}"
[[values.x.evidence]]
kind = "external"
source = "Report one"
url = "https://example.org/one"
date = 2019-01-01

[values.z]
value = 5
judgement = "{z_judgement}"
[[values.z.evidence]]
kind = "external"
source = "Report two"
url = "https://example.org/two"
date = 2019-01-01
"""


def _audit_shared(tmp_path, x_judgement, z_judgement):
    (tmp_path / "model.toml").write_text(MODEL, encoding="utf-8")
    (tmp_path / "registry.toml").write_text(REGISTRY, encoding="utf-8")
    (tmp_path / "seeds" / "profiles").mkdir(parents=True)
    (tmp_path / "seeds" / "article.txt").write_text("Nothing quoted.\n", encoding="utf-8")
    (tmp_path / "seeds" / "profiles" / "delta.toml").write_text(
        _profile(x_judgement, z_judgement), encoding="utf-8")
    result = CliRunner().invoke(cli, ["audit", "--config", str(tmp_path / "model.toml"),
                                      "--profiles", str(tmp_path / "seeds" / "profiles"),
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    return [f for f in json.loads(result.output)["findings"] if f["code"] == "shared-evidence"]


def test_audit_counts_a_supplier_named_in_two_values_as_one_fact(tmp_path):
    shared = _audit_shared(tmp_path, "Huawei's share of the network.", "One Huawei project.")
    assert len(shared) == 1 and shared[0]["indicator"] == "x, z"
    assert shared[0]["message"].startswith("The supplier Huawei Technologies Co., Ltd. stands "
                                           "behind 2 of Delta's indicators")


@pytest.mark.parametrize("z_judgement", [
    "The network has no Huawei equipment.",
    "Built without Huawei.",
    "The operator does not use Huawei gear.",
])
def test_audit_ignores_a_negated_supplier_name(tmp_path, z_judgement):
    assert _audit_shared(tmp_path, "Huawei's share of the network.", z_judgement) == []
