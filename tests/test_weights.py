"""What-if weights: ``--weight NODE=W`` parsed, validated and realised, computed by hand.

The tiny model (support.TINY_MODEL): risk -> a (weight 3), b (weight 1); a -> x (1), y (1);
b -> z. A share W for a node fixes its share of the parent; un-overridden siblings keep
their proportions and share 1 - W.
"""

from __future__ import annotations

import pytest

from riskscore.errors import ConfigError
from riskscore.model.loader import load_model
from riskscore.model.weights import apply_weight_overrides, parse_weight_options
from support import TINY_MODEL, write

# A parent with three children so that overriding two leaves one sibling.
THREE_CHILDREN = """
[index]
id = "risk"

[nodes.p]
weight = 1

[nodes.q]
weight = 0

[indicators.x]
parent = "p"
goalposts = [0, 1]
weight = 2

[indicators.y]
parent = "p"
goalposts = [0, 1]
weight = 1

[indicators.z]
parent = "p"
goalposts = [0, 1]
weight = 1

[indicators.w]
parent = "q"
goalposts = [0, 1]
"""


@pytest.fixture
def tiny_model(tmp_path):
    return load_model(write(tmp_path / "model.toml", TINY_MODEL))


@pytest.fixture
def three(tmp_path):
    return load_model(write(tmp_path / "three.toml", THREE_CHILDREN))


def shares(model, parent):
    """Each child's normalised share of ``parent``, by hand from the raw weights."""
    kids = model.children[parent]
    total = sum(model.weight(k) for k in kids)
    return {k: model.weight(k) / total for k in kids}


def message(excinfo) -> str:
    return str(excinfo.value)


# ---- parse_weight_options --------------------------------------------------------------

def test_parse_reads_each_node_and_share():
    assert parse_weight_options(["a=0.4", "b=0.25", "x=0", "y=1"]) == {
        "a": 0.4, "b": 0.25, "x": 0.0, "y": 1.0}
    assert parse_weight_options([]) == {}
    # one syntax, as on the explore page: no white space around '=' (issue 18)
    with pytest.raises(ConfigError, match="b: has white space around '='"):
        parse_weight_options([" b = 0.25 "])


@pytest.mark.parametrize("item, expected", [
    ("a", "--weight: a: is not of the form NODE=W; expected e.g. --weight debt=0.4"),
    ("=0.5", "--weight: =0.5: is not of the form NODE=W; expected e.g. --weight debt=0.4"),
    (" =0.5", "--weight:  =0.5: is not of the form NODE=W; expected e.g. --weight debt=0.4"),
    ("a=lots", "--weight: a: has the weight 'lots'; expected a number from 0 to 1 "
               "(a share of the parent)"),
    ("a= lots ", "--weight: a: has white space around '='; expected NODE=W without spaces, "
                 "e.g. --weight debt=0.4"),
    ("a=1.5", "--weight: a: has the weight 1.5; expected a number from 0 to 1 "
              "(a share of the parent)"),
    ("a=-0.01", "--weight: a: has the weight -0.01; expected a number from 0 to 1 "
                "(a share of the parent)"),
    ("a=1.0000001", "--weight: a: has the weight 1.0000001; expected a number from 0 to 1 "
                    "(a share of the parent)"),
    ("a=nan", "--weight: a: has the weight nan; expected a number from 0 to 1 "
               "(a share of the parent)"),
    # a signed non-finite value is shown as typed, without quotes, like nan
    ("a=-Inf", "--weight: a: has the weight -Inf; expected a number from 0 to 1 "
               "(a share of the parent)"),
    ("a=+infinity", "--weight: a: has the weight +infinity; expected a number from 0 to 1 "
                    "(a share of the parent)"),
])
def test_parse_refuses_with_the_whole_message(item, expected):
    with pytest.raises(ConfigError) as excinfo:
        parse_weight_options([item])
    assert message(excinfo) == expected


def test_parse_names_the_source_it_is_given():
    with pytest.raises(ConfigError) as excinfo:
        parse_weight_options(["a=2"], source="settings.toml: weights")
    assert message(excinfo).startswith("settings.toml: weights: a: has the weight 2;")
    with pytest.raises(ConfigError) as excinfo:
        parse_weight_options(["a=0.2", "b=0.1", "a=0.3"], source="settings.toml: weights")
    assert message(excinfo) == ("settings.toml: weights: a: is given twice (0.2 and 0.3); "
                                "expected each node once")


# ---- apply_weight_overrides ----------------------------------------------------------

def test_no_override_returns_the_model_itself(tiny_model):
    assert apply_weight_overrides(tiny_model, {}) is tiny_model


def test_one_override_gives_the_rest_to_siblings_in_proportion(three):
    # x = 0.5; y and z (raw 1 and 1) share the other 0.5 equally.
    model = apply_weight_overrides(three, {"x": 0.5})
    assert shares(model, "p") == pytest.approx({"x": 0.5, "y": 0.25, "z": 0.25}, abs=1e-15)
    assert model.overrides == {"x": 0.5}
    # Unrelated parents keep their weights.
    assert model.weight("p") == 1 and model.weight("q") == 0


def test_two_overrides_with_one_sibling_left(three):
    # x = 0.2, y = 0.3: z alone gets 0.5.
    model = apply_weight_overrides(three, {"x": 0.2, "y": 0.3})
    assert shares(model, "p") == pytest.approx({"x": 0.2, "y": 0.3, "z": 0.5}, abs=1e-15)
    # The raw weights themselves are the shares (the parent's children sum to 1).
    assert [model.weight(k) for k in ("x", "y", "z")] == pytest.approx([0.2, 0.3, 0.5], abs=1e-15)


def test_overrides_of_every_child_summing_to_one_are_accepted(three, tiny_model):
    model = apply_weight_overrides(three, {"x": 0.1, "y": 0.3, "z": 0.6})
    assert shares(model, "p") == pytest.approx({"x": 0.1, "y": 0.3, "z": 0.6}, abs=1e-15)
    # The shipped-style case from the review: four dimensions 0.1 + 0.2 + 0.3 + 0.4 = 1
    # (not exactly 1.0 in binary floating point: 1.0000000000000002 is within tolerance).
    model = apply_weight_overrides(tiny_model, {"a": 0.25, "b": 0.75})
    assert shares(model, "risk") == pytest.approx({"a": 0.25, "b": 0.75}, abs=1e-15)
    model = apply_weight_overrides(tiny_model, {"a": 1.0, "b": 0.0})
    assert shares(model, "risk") == {"a": 1.0, "b": 0.0}


def test_four_dimension_shares_summing_to_one_in_floating_point(tmp_path):
    text = "[index]\nid = \"risk\"\n" + "".join(
        f"[nodes.{d}]\n[indicators.{d}_i]\nparent = \"{d}\"\ngoalposts = [0, 1]\n"
        for d in ("vendor", "sanctions", "debt", "data"))
    model = load_model(write(tmp_path / "four.toml", text))
    new = apply_weight_overrides(model, {"vendor": .1, "sanctions": .2, "debt": .3, "data": .4})
    assert shares(new, "risk") == pytest.approx(
        {"vendor": .1, "sanctions": .2, "debt": .3, "data": .4}, abs=1e-15)


def test_overrides_with_siblings_left_must_sum_to_at_most_one(three):
    # vendor=0.7 sanctions=0.6 in the review's words: two of three children, 1.3 in all.
    with pytest.raises(ConfigError) as excinfo:
        apply_weight_overrides(three, {"x": 0.7, "y": 0.6})
    assert message(excinfo) == ("--weight: x,y: sets shares of 'p' summing to 1.3; "
                                "expected shares of one parent summing to at most 1")
    # Just over 1 (beyond the tolerance) is refused too, exactly 1 leaves z nothing.
    with pytest.raises(ConfigError, match="summing to 1.001"):
        apply_weight_overrides(three, {"x": 0.5, "y": 0.501})
    model = apply_weight_overrides(three, {"x": 0.5, "y": 0.5})
    assert shares(model, "p") == pytest.approx({"x": 0.5, "y": 0.5, "z": 0.0}, abs=1e-15)


def test_overriding_every_child_must_sum_to_one(three):
    with pytest.raises(ConfigError) as excinfo:
        apply_weight_overrides(three, {"x": 0.2, "y": 0.2, "z": 0.2})
    assert message(excinfo) == ("--weight: x,y,z: sets every child of 'p' with shares "
                                "summing to 0.6; expected shares summing to 1")
    with pytest.raises(ConfigError, match="summing to 0.999"):
        apply_weight_overrides(three, {"x": 0.333, "y": 0.333, "z": 0.333})


ZERO_SIBLINGS = """
[index]
id = "risk"

[nodes.p]

[indicators.x]
parent = "p"
goalposts = [0, 1]

[indicators.y]
parent = "p"
goalposts = [0, 1]
weight = 0

[indicators.z]
parent = "p"
goalposts = [0, 1]
weight = 0
"""


def test_a_share_left_to_zero_weight_siblings_is_an_error(tmp_path):
    model = load_model(write(tmp_path / "zeros.toml", ZERO_SIBLINGS))
    with pytest.raises(ConfigError) as excinfo:
        apply_weight_overrides(model, {"x": 0.6})
    assert message(excinfo) == ("--weight: x: leaves 0.4 of 'p' to siblings whose weights are "
                                "all zero; expected shares summing to 1")
    with pytest.raises(ConfigError, match="leaves 1 of 'p'"):
        apply_weight_overrides(model, {"x": 0.0})
    # Taking the whole parent leaves nothing to share: the zero siblings stay at zero.
    new = apply_weight_overrides(model, {"x": 1.0})
    assert [new.weight(k) for k in ("x", "y", "z")] == [1.0, 0.0, 0.0]


def test_every_child_overridden_to_zero_is_an_error(three):
    # Node q's only child w: a share of 0 is a set of shares summing to 0, not 1.
    with pytest.raises(ConfigError) as excinfo:
        apply_weight_overrides(three, {"w": 0.0})
    assert message(excinfo) == ("--weight: w: sets every child of 'q' with shares summing to 0; "
                                "expected shares summing to 1")


def test_override_of_one_node_in_each_of_two_parents(tiny_model):
    model = apply_weight_overrides(tiny_model, {"b": 0.5, "x": 0.8})
    assert shares(model, "risk") == pytest.approx({"a": 0.5, "b": 0.5}, abs=1e-15)
    assert shares(model, "a") == pytest.approx({"x": 0.8, "y": 0.2}, abs=1e-15)
    assert model.overrides == {"b": 0.5, "x": 0.8}


@pytest.mark.parametrize("overrides, expected", [
    ({"nosuch": 0.5}, "--weight: nosuch: is not a node or indicator of the model (model.toml); "
                      "expected one of a, b, x, y, z"),
    # the closest name is suggested, the first node below the index included
    ({"aa": 0.5}, "--weight: aa: is not a node or indicator of the model (model.toml) "
                  "(did you mean 'a'?); expected one of a, b, x, y, z"),
    ({"risk": 0.5}, "--weight: risk: is the index itself; expected a node below the index"),
])
def test_unknown_node_and_the_index_are_refused(tiny_model, overrides, expected):
    with pytest.raises(ConfigError) as excinfo:
        apply_weight_overrides(tiny_model, overrides)
    assert message(excinfo) == expected


def test_source_is_named_in_override_errors(tiny_model):
    with pytest.raises(ConfigError) as excinfo:
        apply_weight_overrides(tiny_model, {"a": 0.7, "b": 0.6}, source="settings.toml")
    assert message(excinfo) == ("settings.toml: a,b: sets shares of 'risk' summing to 1.3; "
                                "expected shares of one parent summing to at most 1")


def test_only_the_first_equals_sign_separates_node_and_weight():
    with pytest.raises(ConfigError) as excinfo:
        parse_weight_options(["a=0.5=1"])
    assert message(excinfo) == ("--weight: a: has the weight '0.5=1'; expected a number from 0 "
                                "to 1 (a share of the parent)")


def test_shares_within_the_tolerance_above_one_count_as_one(three):
    from riskscore.model.weights import TOLERANCE

    model = apply_weight_overrides(three, {"x": 1.0 + TOLERANCE})
    assert [model.weight(k) for k in ("y", "z")] == [0.0, 0.0]
    with pytest.raises(ConfigError, match="summing to 1"):
        apply_weight_overrides(three, {"x": 1.0 + 3 * TOLERANCE})


def test_two_overrides_leaving_a_share_to_zero_weight_siblings(tmp_path):
    model = load_model(write(tmp_path / "zeros.toml", ZERO_SIBLINGS))
    with pytest.raises(ConfigError) as excinfo:
        apply_weight_overrides(model, {"x": 0.3, "y": 0.2})
    assert message(excinfo) == ("--weight: x,y: leaves 0.5 of 'p' to siblings whose weights are "
                                "all zero; expected shares summing to 1")
