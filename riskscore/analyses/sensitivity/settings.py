"""The sensitivity settings: ``config/sensitivity.toml`` read strictly into frozen objects.

Every key has a default, so an empty ``[run]`` table is a valid file; an unknown
key, a wrong type or an out-of-range value raises ``ConfigError`` naming the
file and key path (e.g. ``weights.concentration``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from riskscore.errors import ConfigError
from riskscore.support.tomlio import Section, read_toml

DEFAULT_SETTINGS = Path("config/sensitivity.toml")
# "sets": each draw takes the configured weights or one of the model's [weight_sets]
WEIGHT_METHODS = ("dirichlet", "uniform", "sets")
NORMALISATION_CHOICES = ("goalposts", "minmax")
MISSING_CHOICES = ("reweight", "mean", "worst_case", "best_case")


@dataclass(frozen=True)
class WeightSettings:
    vary: bool = True
    method: str = "dirichlet"
    concentration: float = 50.0
    spread: float = 0.25
    sets: tuple[str, ...] = ()      # method "sets": the sets drawn from (empty: all)


@dataclass(frozen=True)
class SobolSettings:
    enabled: bool = True
    base_samples: int = 1024
    confidence: float = 0.95
    resamples: int = 200


@dataclass(frozen=True)
class SensitivitySettings:
    """What varies and how; ``path`` is None for the built-in defaults."""

    path: Path | None = None
    samples: int = 4000
    seed: int = 20191119
    top_k: int = 2
    chunk: int = 512
    weights: WeightSettings = field(default_factory=WeightSettings)
    vary_aggregation: bool = True
    p_geometric: float = 0.5
    normalisations: tuple[str, ...] = NORMALISATION_CHOICES   # empty = the model's choice
    missing_policies: tuple[str, ...] = MISSING_CHOICES        # empty = the model's choice
    vary_evidence: bool = True
    sobol: SobolSettings = field(default_factory=SobolSettings)
    tipping: bool = True
    tipping_grid: int = 401

    def to_dict(self) -> dict:
        """The settings as echoed in the JSON output (what was varied, and how)."""
        return {
            "path": str(self.path) if self.path else None,
            "weights": {"vary": self.weights.vary, "method": self.weights.method,
                        "concentration": self.weights.concentration,
                        "spread": self.weights.spread,
                        **({"sets": list(self.weights.sets)} if self.weights.method == "sets"
                           else {})},
            "aggregation": {"vary": self.vary_aggregation, "p_geometric": self.p_geometric},
            "normalisation": list(self.normalisations),
            "missing": list(self.missing_policies),
            "evidence": {"vary": self.vary_evidence},
            "sobol": {"enabled": self.sobol.enabled, "base_samples": self.sobol.base_samples,
                      "confidence": self.sobol.confidence, "resamples": self.sobol.resamples},
            "tipping": {"enabled": self.tipping, "grid": self.tipping_grid},
        }


def default_settings_path(model_path: Path | str | None = None) -> Path:
    """Where the settings are looked for when none are given: ``sensitivity.toml`` beside
    the model file (so the result does not depend on the folder a command runs from);
    without a model, ``config/sensitivity.toml``."""
    if model_path is None:
        return DEFAULT_SETTINGS
    return Path(model_path).parent / DEFAULT_SETTINGS.name


def load_settings(path: Path | str | None = None,
                  model_path: Path | str | None = None) -> SensitivitySettings:
    """Read ``path``; by default ``default_settings_path(model_path)``, or the built-in
    defaults (``path`` None in the result) if that file does not exist. A ``path``
    given explicitly must exist.

    Raises ConfigError for a missing explicit file, malformed TOML, unknown keys,
    wrong types or values out of range, naming the file and the key path.
    """
    if path is None:
        path = default_settings_path(model_path)
        if not path.exists():
            return SensitivitySettings()
    path = Path(path)
    top = Section(read_toml(path, ConfigError), path, "", ConfigError)
    defaults = SensitivitySettings()

    run = _section(top, "run", path)
    samples = _integer(run, "samples", defaults.samples, minimum=1)
    seed = _integer(run, "seed", defaults.seed, minimum=0)
    top_k = _integer(run, "top_k", defaults.top_k, minimum=1)
    chunk = _integer(run, "chunk", defaults.chunk, minimum=1)
    run.done()

    sec = _section(top, "weights", path)
    weights = WeightSettings(
        vary=_flag(sec, "vary", True),
        method=sec.text("method", "dirichlet", choices=WEIGHT_METHODS),
        concentration=sec.number("concentration", 50.0, minimum=1e-6),
        spread=sec.number("spread", 0.25, minimum=0.0, maximum=0.99),
        sets=tuple(sec.text_list("sets")),
    )
    # each spread key is read by one method only: under another it would do nothing
    for key, used_by in (("concentration", "dirichlet"), ("spread", "uniform")):
        if sec.has(key) and weights.method != used_by:
            sec.fail(key, f"is set with method {weights.method!r}, which ignores it",
                     f"{key} only with method = {used_by!r} (or remove it)")
    if weights.sets and weights.method != "sets":
        sec.fail("sets", f"is set with method {weights.method!r}", "sets only with method = 'sets'")
    sec.done()

    sec = _section(top, "aggregation", path)
    vary_aggregation = _flag(sec, "vary", True)
    p_geometric = sec.number("p_geometric", 0.5, minimum=0.0, maximum=1.0)
    sec.done()

    normalisations = _choices(top, "normalisation", NORMALISATION_CHOICES, path)
    missing = _choices(top, "missing", MISSING_CHOICES, path)

    sec = _section(top, "evidence", path)
    vary_evidence = _flag(sec, "vary", True)
    sec.done()

    sec = _section(top, "sobol", path)
    sobol = SobolSettings(
        enabled=_flag(sec, "enabled", True),
        base_samples=_integer(sec, "base_samples", 1024, minimum=2),
        confidence=sec.number("confidence", 0.95, minimum=0.5, maximum=0.999),
        resamples=_integer(sec, "resamples", 200, minimum=10),
    )
    if sobol.base_samples & (sobol.base_samples - 1):
        sec.fail("base_samples", f"is {sobol.base_samples}", "a power of two (Sobol sequences)")
    sec.done()

    sec = _section(top, "tipping", path)
    tipping = _flag(sec, "enabled", True)
    grid = _integer(sec, "grid", 401, minimum=3)
    sec.done()
    top.done()
    return SensitivitySettings(
        path=path, samples=samples, seed=seed, top_k=top_k, chunk=chunk, weights=weights,
        vary_aggregation=vary_aggregation, p_geometric=p_geometric,
        normalisations=normalisations, missing_policies=missing, vary_evidence=vary_evidence,
        sobol=sobol, tipping=tipping, tipping_grid=grid,
    )


def _section(top: Section, name: str, path: Path) -> Section:
    return top.section(name) or Section({}, path, name, ConfigError)


def _flag(sec: Section, name: str, default: bool) -> bool:
    value = sec.raw(name, default)
    if not isinstance(value, bool):
        sec.fail(name, f"is {value!r}", "true or false")
    return value


def _integer(sec: Section, name: str, default: int, *, minimum: int) -> int:
    value = sec.raw(name, default)
    if isinstance(value, bool) or not isinstance(value, int):
        sec.fail(name, f"is {value!r}", f"a whole number >= {minimum}")
    if value < minimum:
        sec.fail(name, f"is {value}", f"a whole number >= {minimum}")
    return value


def _choices(top: Section, name: str, allowed: tuple[str, ...], path: Path) -> tuple[str, ...]:
    """``vary = false`` gives () (keep the model's choice); else the listed choices."""
    sec = _section(top, name, path)
    vary = _flag(sec, "vary", True)
    chosen = sec.text_list("choices", list(allowed))
    for item in chosen:
        if item not in allowed:
            sec.fail("choices", f"contains {item!r}", "choices from " + ", ".join(allowed))
    if vary and len(set(chosen)) < 2:
        sec.fail("choices", f"lists {len(set(chosen))} distinct choice(s)",
                 "at least two choices, or vary = false")
    if len(set(chosen)) != len(chosen):
        sec.fail("choices", "repeats a choice", "each choice once")
    sec.done()
    return tuple(chosen) if vary else ()
