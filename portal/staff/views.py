"""Staff registry pages (filled in by the staff registry work)."""


def register(app) -> None:
    return None
