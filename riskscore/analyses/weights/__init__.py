"""Weights as evidence: deriving a node's weights by a method, and how much each child
really counts.

One module per family of methods, each a set of pure functions on arrays:
``budget`` and ``ahp`` (experts), ``pca`` (factor analysis), ``information``
(entropy, CRITIC), ``optimised`` (COINr's correlation balance), ``bod`` (benefit of
the doubt) and ``effective`` (correlation ratios); ``judgements`` reads the experts'
files and ``derive`` validates and dispatches (``riskscore weights METHOD``).
"""
