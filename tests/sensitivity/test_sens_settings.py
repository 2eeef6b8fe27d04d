"""config/sensitivity.toml is read strictly: defaults, typos and bad values."""

from __future__ import annotations

from pathlib import Path

import pytest

from riskscore.analyses.sensitivity.settings import SensitivitySettings, load_settings
from riskscore.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "tests" / "fixtures" / "example"


def test_example_settings_read_as_written():
    # The frozen fixture copy of the example's settings (tests/fixtures/example).
    settings = load_settings(EXAMPLE / "config" / "sensitivity.toml")
    assert settings.weights.method == "dirichlet" and settings.weights.concentration == 50
    assert settings.normalisations == ("goalposts", "minmax")
    assert settings.missing_policies == ("reweight", "mean", "worst_case")
    assert settings.top_k == 2 and settings.sobol.base_samples == 1024


def test_empty_tables_give_the_defaults(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text("[run]\n")
    loaded = load_settings(path)
    assert loaded.weights == SensitivitySettings().weights
    assert loaded.sobol == SensitivitySettings().sobol


@pytest.mark.parametrize("text, key", [
    ("[weights]\nconcentraton = 5\n", "weights.concentraton"),
    ("[weights]\nmethod = 'beta'\n", "weights.method"),
    ("[aggregation]\np_geometric = 1.5\n", "aggregation.p_geometric"),
    ("[missing]\nchoices = ['reweight', 'fail']\n", "missing.choices"),
    ("[normalisation]\nchoices = ['minmax']\n", "normalisation.choices"),
    ("[sobol]\nbase_samples = 1000\n", "sobol.base_samples"),
    ("[run]\nsamples = 0\n", "run.samples"),
    ("[run]\nseed = 1.5\n", "run.seed"),
    ("[evidence]\nvary = 'yes'\n", "evidence.vary"),
    ("[extra]\n", "extra"),
])
def test_bad_settings_name_the_key(tmp_path, text, key):
    path = tmp_path / "s.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as err:
        load_settings(path)
    assert f"{path}: {key}:" in err.value.message


def test_vary_false_keeps_the_model_choice(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text("[normalisation]\nvary = false\n[missing]\nvary = false\n")
    loaded = load_settings(path)
    assert loaded.normalisations == () and loaded.missing_policies == ()


def test_progress_bar_only_on_a_terminal_and_only_after_a_delay(monkeypatch):
    from riskscore.cli import options as cli_options

    quiet = cli_options.Progress(enabled=False)
    quiet(5, 10)
    assert quiet.bar is None and quiet.done == 5
    fast = cli_options.Progress(enabled=True)
    fast(5, 10)  # well within the delay: nothing shown yet
    assert fast.bar is None
    monkeypatch.setattr(cli_options.Progress, "DELAY", 0.0)
    with cli_options.Progress(enabled=True) as slow:
        slow(3, 10)
        slow(4, 10)
        assert slow.bar is not None and slow.bar.pos == 7
