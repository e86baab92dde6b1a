"""The tests' builder: milestones.seeds.factory (shared with the demo seed), every row
committed at once, since the API clients read through their own connections."""

from __future__ import annotations

from milestones.seeds.factory import Builder


class Factory(Builder):
    def __init__(self, password: str) -> None:
        super().__init__(password=password, commit=True)
