"""Isolation makers, one module per feature: each defines MAKERS = {url_arg: maker(institution) -> id}
and may define NOT_TENANT_IDS = {url_arg: value} for ids that are not tenant rows."""
