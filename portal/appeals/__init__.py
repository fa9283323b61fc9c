"""Requests to replace a mentor (by the mentee) or to be relieved (by the mentor), seed §4.1 and §5.1."""
