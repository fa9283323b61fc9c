#!/bin/sh
# Regenerate the wrapped templates from an unwrapped revision's (issue 10 used main before ab8500f, e.g. 6ccfda2 or
# d509380): its templates, wrapped by the tool, then the few lines the tool cannot break (wrap_by_hand.py, which
# checks that each line it replaces is exactly there). Templates on main are wrapped now: for a new long line run
# `python3 bench/house_scripts/wrap_templates.py FILE` (it only touches lines over 120 characters).
set -e
rev=${1:?an unwrapped revision, e.g. d509380}
rm -rf templates && git archive "$rev" templates | tar -x
python3 bench/house_scripts/wrap_templates.py $(find templates -name '*.html') | grep -v still || true
python3 bench/house_scripts/wrap_by_hand.py
