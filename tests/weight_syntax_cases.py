"""One table of what-if weight inputs, for ``--weight NODE=W`` and the explore page's
``#weights=NODE:W`` alike (tests/attack/test_round2_weights.py runs it through the command
line, tests/explore/test_weight_syntax.py through the page in Chromium, and the page's
message must equal the command line's).

Each case: the items (written with ``=``; the page's fragment writes ``:`` and
percent-encodes), and what both must do with them on the shipped example model: accept
them as these shares, or refuse them with this message (``{sep}`` is the separator,
``{example}`` the syntax's example).
"""

from __future__ import annotations

ACCEPTED = [
    (["debt=0.4"], {"debt": 0.4}),
    (["debt=.5"], {"debt": 0.5}),
    (["debt=1e-1", "vendor=0"], {"debt": 0.1, "vendor": 0.0}),
    (["debt=+1"], {"debt": 1.0}),
]

REFUSED = [
    (["debt=0.4", "debt=0.6"], "--weight: debt: is given twice (0.4 and 0.6); expected each node once"),
    (["__proto__=0.5"], "--weight: __proto__: is not a node or indicator of the model (model.toml)"),
    (["constructor=0.5"], "--weight: constructor: is not a node or indicator of the model"),
    (["hasOwnProperty=0.1"], "--weight: hasOwnProperty: is not a node or indicator of the model"),
    (["debt= 0.4"], "--weight: debt: has white space around '{sep}'; expected NODE{sep}W without "
                    "spaces, e.g. {example}"),
    (["debt =0.4"], "--weight: debt: has white space around '{sep}'"),
    ([" debt=0.4"], "--weight: debt: has white space around '{sep}'"),
    (["debt=0.4\n"], "--weight: debt: has white space around '{sep}'"),
    (["debt=0.4\u00a0"], "--weight: debt: has white space around '{sep}'"),
    (["debt=1.5"], "--weight: debt: has the weight 1.5; expected a number from 0 to 1 (a share "
                   "of the parent)"),
    (["debt=-0.1"], "--weight: debt: has the weight -0.1; expected a number from 0 to 1"),
    (["debt=abc"], "--weight: debt: has the weight 'abc'; expected a number from 0 to 1"),
    (["debt=nan"], "--weight: debt: has the weight nan; expected a number from 0 to 1"),
    (["debt=-Infinity"], "--weight: debt: has the weight -Infinity; expected a number from 0"),
    (["debt=1e999"], "--weight: debt: has the weight '1e999'; expected a number from 0 to 1"),
    (["debt=0x1"], "--weight: debt: has the weight '0x1'"),
    (["debt=1_0"], "--weight: debt: has the weight '1_0'"),
    (["debt=0,4"], "--weight: 4: is not of the form NODE{sep}W"),
    (["debt"], "--weight: debt: is not of the form NODE{sep}W; expected e.g. {example}"),
    (["=0.4"], "is not of the form NODE{sep}W"),
    (["risk=0.5"], "--weight: risk: is the index itself; expected a node below the index"),
    (["debt=0.7", "vendor=0.6"], "--weight: debt,vendor: sets shares of 'risk' summing to 1.3; "
                                 "expected shares of one parent summing to at most 1"),
]

SYNTAX = {"cli": ("=", "--weight debt=0.4"), "page": (":", "#weights=debt:0.4")}


def message(template: str, where: str) -> str:
    sep, example = SYNTAX[where]
    return template.format(sep=sep, example=example)
