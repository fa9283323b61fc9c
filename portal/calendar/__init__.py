"""A personal calendar feed (iCal) with a secret, revocable subscription address."""
