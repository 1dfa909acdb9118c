"""Cohorts: a program run for a group of mentoring pairs, each with its own dates (content/cohorts/<id>.yaml)."""

from __future__ import annotations

import datetime as dt

from pydantic import Field
from pydantic.json_schema import SkipJsonSchema

from ..values import FolderSlug, Model, OnDay, RoleId, Text
from .program import Schedule


class Pair(Model):
    """A mentor and a protégé in a cohort, and when their meetings start if not with the cohort."""

    id: FolderSlug = Field(description="The pair's id: its page's folder, and what its progress files name.")
    names: dict[RoleId, Text] = Field(
        min_length=1, description="Each person's display name, keyed by role id, e.g. `mentor: Ana Silva`."
    )
    start_date: dt.date | None = Field(None, description="The pair's first meeting, if not the cohort's (YYYY-MM-DD).")
    on: OnDay | None = Field(None, description="The pair's own meeting day, if not the cohort's, e.g. `wednesday`.")

    def name_of(self, role_id: str) -> str:
        """The display name of the person in this role, or ''."""
        return self.names.get(role_id, "")


class Cohort(Model):
    """One run of a program for a group of pairs, with the dates of every pair."""

    id: SkipJsonSchema[str] = ""
    title: Text
    program: str = Field(description="The id of the program the cohort runs (its file name without `.yaml`).")
    start_date: dt.date = Field(description="The cohort's first meeting (YYYY-MM-DD); pairs may start later.")
    end_date: dt.date | None = Field(None, description="When the cohort ends; `check` warns of meetings after it.")
    schedule: Schedule = Field(
        Schedule(), description="When the pairs meet, where it differs from the program's schedule."
    )
    lead: Text | None = Field(None, description="The program lead's display name.")
    publish_names: bool = Field(True, description="Show people's names on the site; `false` shows pair ids only.")
    pairs: tuple[Pair, ...] = Field(
        min_length=1, description="The mentoring pairs, in the order the roster lists them."
    )

    def pair_label(self, pair: Pair, role_ids: tuple[str, ...]) -> str:
        """How a page names the pair: the people's names joined by `&`, or its id when names are not published."""
        if not self.publish_names:
            return pair.id
        names = [pair.names[r] for r in role_ids if r in pair.names] or list(pair.names.values())
        return " & ".join(names)
