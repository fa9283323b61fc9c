"""Role matrix for the inbox: every signed-in person has their own."""
from tests.matrix.names import AUTH

MATRIX = {
    "notifications.inbox": {AUTH},
    "notifications.read": {AUTH},
    "notifications.read_all": {AUTH},
}
