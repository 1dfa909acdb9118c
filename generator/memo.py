"""Results of earlier builds, kept to be reused by the next one when their inputs are the same."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class Memo(Generic[V]):
    """Values by the inputs they were made from. Whatever a build did not ask for is dropped after it."""

    def __init__(self) -> None:
        self._kept: dict[Hashable, V] = {}
        self._used: dict[Hashable, V] = {}

    def get(self, key: Hashable, make: Callable[[], V]) -> V:
        """The value for `key`: kept from before, or made now."""
        if key in self._used:
            return self._used[key]
        value = self._kept[key] if key in self._kept else make()
        self._used[key] = value
        return value

    def finish(self) -> None:
        """End a build: keep what it used, forget the rest."""
        self._kept, self._used = self._used, {}

    def __len__(self) -> int:
        return len(self._kept)
