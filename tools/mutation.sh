#!/usr/bin/env bash
# Mutation testing of the scoring core (issue 9). Needs: pip install -e '.[mutation]'
#
#   tools/mutation.sh                   # all eight core modules against the whole test suite
#   tools/mutation.sh engine.ranking model.weights   # only these modules (faster while iterating)
#
# mutmut copies riskscore/ and tests/ to mutants/, records which tests cover which
# function, then runs each mutant against the tests that cover it (-x: stops at the first
# failure). The summary per module is printed at the end; the surviving mutants are
# listed, with the reason each is equivalent, in tests/MUTANTS.md.
# MUTMUT_CHILDREN sets the number of parallel workers (default 2).
set -euo pipefail
cd "$(dirname "$0")/.."
python -c "import mutmut" 2>/dev/null || {
    echo "mutmut is not installed in this Python: pip install -e '.[mutation]'" >&2; exit 1; }

modules=("$@")
if [ ${#modules[@]} -eq 0 ]; then
    modules=(engine.normalise engine.aggregate engine.shapley engine.ranking model.weights
             engine.pipeline inputs.derive inputs.registry)
fi
patterns=()
for module in "${modules[@]}"; do
    patterns+=("riskscore.${module}.*")
done

rm -rf mutants      # start from a fresh copy: no stale results from older code or tests
python -m mutmut run --max-children "${MUTMUT_CHILDREN:-2}" "${patterns[@]}" > mutants-run.log 2>&1 || {
    tail -40 mutants-run.log; exit 1; }
python -m mutmut results --all true > mutants-results.txt
python tools/mutation_summary.py mutants-results.txt "${modules[@]}"
# The diff of every mutant not killed, for tests/MUTANTS.md.
grep -E ': (survived|no tests|timeout|suspicious)' mutants-results.txt | sed 's/^ *//; s/:.*//' |
    while read -r name; do
        echo "## $name"
        python -m mutmut show "$name" 2>/dev/null | grep -E '^[-+][^-+]'
    done > mutants-survivors.txt
echo "Diffs of the mutants not killed: mutants-survivors.txt"
