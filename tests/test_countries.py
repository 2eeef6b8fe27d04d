"""Entities named by a country code (riskscore.inputs.countries).

Expected names are ISO 3166-1's (the standard's alpha-3 codes and English short names),
not riskscore's output.
"""

from __future__ import annotations

from click.testing import CliRunner

from riskscore.cli.main import cli
from riskscore.inputs.countries import country_names
from support import TINY_MODEL, write


def test_an_alpha3_code_names_its_country_in_any_case():
    assert "kyrgyzstan" in country_names("kgz")
    assert "tajikistan" in country_names("TJK")


def test_what_is_not_an_alpha3_code_names_nothing():
    assert country_names("KG") == set()
    assert country_names("K1Z") == set()
    assert country_names("ZZZ") == set()   # user-assigned in ISO 3166: no country


def test_a_table_without_codes_finds_a_country_by_its_code(tmp_path):
    model = write(tmp_path / "model.toml", TINY_MODEL)
    data = write(tmp_path / "table.csv", "entity,x,y,z\nKyrgyzstan,10,0,1\nTajikistan,0,100,0\n")
    out = CliRunner().invoke(cli, ["explain", "tjk", "--config", str(model), "--data", str(data),
                                   "--format", "json"])
    assert out.exit_code == 0, out.output
    assert '"entity": "Tajikistan"' in out.output
