#!/bin/sh
# Regenerate the wrapped templates from a revision's (default: main): its templates, wrapped by the tool, then the
# few lines the tool cannot break (wrap_by_hand.py). Run from the repository root after merging that revision.
set -e
rev=${1:-main}
rm -rf templates && git archive "$rev" templates | tar -x
python3 bench/house_scripts/wrap_templates.py $(find templates -name '*.html') | grep -v still || true
python3 bench/house_scripts/wrap_by_hand.py
