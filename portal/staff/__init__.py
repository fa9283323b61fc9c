"""Staff registry (педагогические работники) of an institution."""
