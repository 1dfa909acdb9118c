"""Who does what: the role lists that months, worksheets and checklists share."""

from __future__ import annotations

from collections.abc import Iterable, Mapping


def roles_with_items(part: Mapping[str, tuple[str, ...]]) -> tuple[str, ...]:
    """The roles whose list of items is not empty."""
    return tuple(role for role, items in part.items() if items)


def union(role_lists: Iterable[tuple[str, ...]]) -> tuple[str, ...]:
    """Every role of these lists, once each, in the order first met."""
    return tuple(dict.fromkeys(role for roles in role_lists for role in roles))
