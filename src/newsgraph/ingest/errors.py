"""The one exception readers raise internally; the public API turns it into ``ItemError``."""

from __future__ import annotations

from typing import Literal

from newsgraph.model import ItemError

Stage = Literal["read", "decode", "fetch"]


class ReadFailure(Exception):
    """A per-item failure caused by the input (never by a bug)."""

    def __init__(
        self, error: str, message: str, *, stage: Stage = "read", locator: str | None = None
    ) -> None:
        super().__init__(message)
        self.error = error
        self.message = message
        self.stage: Stage = stage
        self.locator = locator

    def to_error(self, input: str, locator: str | None = None) -> ItemError:
        return ItemError(
            input=input,
            locator=self.locator or locator,
            stage=self.stage,
            error=self.error,
            message=self.message,
        )


def item_error(
    input: str, error: str, message: str, *, stage: Stage = "read", locator: str | None = None
) -> ItemError:
    return ItemError(input=input, locator=locator, stage=stage, error=error, message=message)


def too_large(limit: int, what: str = "item") -> ReadFailure:
    return ReadFailure("too-large", f"{what} is larger than the {limit:,}-byte limit")
