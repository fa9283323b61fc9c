"""Role matrix for contests: the coordinator runs them, experts judge, heads and curators submit entries."""
from tests.matrix.names import C, CO, EX, H

MATRIX = {
    "contests.index": {CO},
    "contests.page": {CO},
    "contests.protocol": {CO},
    "jury.my_contests": {EX},
    "jury.sheet": {EX},
    "contest_entries.entries": {H, C},
}
