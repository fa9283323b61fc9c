"""Finding people by what was typed: each typed word starts a word of the name. One condition for the person pickers
of staff (surname, name, patronymic in columns of their own) and of accounts (the full name in one column)."""
from __future__ import annotations

from sqlalchemy import func, or_


def starts_a_word(word: str, *columns, inside: bool = False):
    """`word` (lower case) starts one of the columns — or, with `inside`, any word within them. SQLite's lower()
    knows only ASCII: the capitalised word («Ив» for «ив») covers Cyrillic names there."""
    conditions = []
    for column in columns:
        conditions += [column.startswith(word.capitalize(), autoescape=True),
                       func.lower(column).startswith(word, autoescape=True)]
        if inside:
            conditions += [column.contains(" " + word.capitalize(), autoescape=True),
                           column.contains(" " + word, autoescape=True)]
    return or_(*conditions)
