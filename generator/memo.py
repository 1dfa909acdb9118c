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
        self.changed = False  # since it was last saved: whether anything was added or dropped

    def get(self, key: Hashable, make: Callable[[], V]) -> V:
        """The value for `key`: kept from before, or made now."""
        if key in self._used:
            return self._used[key]
        if key in self._kept:
            value = self._kept[key]
        else:
            value = make()
            self.changed = True
        self._used[key] = value
        return value

    def reuse(self, key: Hashable) -> V:
        """A value known to be kept (`key in memo`), marked as used by this build."""
        value = self._used[key] if key in self._used else self._kept[key]
        self._used[key] = value
        return value

    def __contains__(self, key: Hashable) -> bool:
        return key in self._used or key in self._kept

    def put(self, key: Hashable, value: V) -> None:
        """Keep a value made elsewhere (in a worker process, say) for this build."""
        self._used[key] = value
        self.changed = True

    def finish(self) -> None:
        """End a build: keep what it used, forget the rest."""
        if len(self._used) != len(self._kept):
            self.changed = True
        self._kept, self._used = self._used, {}
