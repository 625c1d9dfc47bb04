"""A list endpoint's rows, read one page at a time.

django-ninja's pagination slices whatever an endpoint returns and counts it. A list built from the whole
queryset would turn every visible row into its output to send one page of it (4,075 dicts for 20 on the
demo's applications). `Rows` keeps the queryset lazy: a slice reads that page only, and its length is the
database's COUNT(*).
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, overload

from django.db.models import QuerySet


class Rows(Sequence):
    """`out(row)` for each row of `queryset`, computed only for the rows asked for."""

    def __init__(self, queryset: QuerySet, out: Callable[[Any], Any]) -> None:
        self.queryset, self.out = queryset, out

    def __len__(self) -> int:
        return self.queryset.count()

    @overload
    def __getitem__(self, index: int) -> Any: ...
    @overload
    def __getitem__(self, index: slice) -> list[Any]: ...

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return [self.out(row) for row in self.queryset[index]]
        return self.out(self.queryset[index])
