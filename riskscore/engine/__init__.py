"""The engine: raw values to ranked, decomposed scores, one step per module.

- ``prepare``: denomination, outlier treatment, imputation (each cell's steps recorded).
- ``normalise``: goalposts, min-max, z-score, rank, percentile, distance to a target.
- ``aggregate``: every node operator (means, complement geometric, max/min, invert,
  ratio) and the exact contributions of each child.
- ``shapley``: exact Shapley decomposition where no closed form exists.
- ``ranking``: ranks and ties.
- ``assessment``: the result (scores, contributions, evidence, steps) and its JSON contract.
- ``pipeline``: ``assess``/``score``, the steps above in order.

Depends on ``riskscore.inputs`` and below.
"""
