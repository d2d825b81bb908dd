"""Declared roles and regions in aggregate: groups of at least five people, or none at all.

A figure about a group is a figure about each person in it once the group is small, and readers
see who wrote what. So a choice shows as a group of its own only where at least MIN_PEOPLE
people who declared it took part in what the figure counts (the posts of one question, the
replies); smaller groups merge into "Other"; an "Other" or "Not declared" of one to four people
merges into "Other or not declared"; and while that is still under MIN_PEOPLE, the smallest
group shown joins it. If no group is left to show, or everyone would be in one group (then each
person's declaration would be known), there is no breakdown. People are counted, not posts.
Removed posts count as posts, in "Not declared": they have no author any more.
"""

from collections.abc import Hashable, Iterable
from dataclasses import dataclass

MIN_PEOPLE = 5
OTHER, UNDECLARED, REST = "other", "undeclared", "rest"


@dataclass
class Bucket:
    """One group of a breakdown: a choice's id, or OTHER, UNDECLARED or REST."""

    key: Hashable
    people: int = 0
    count: int = 0


def merge(people: dict[int | None, int], order: Iterable[int]) -> dict[int | None, Hashable] | None:
    """Which bucket each choice's people go to (None: those who declared nothing), or None when
    no breakdown may be shown. `people` counts the people of each choice; `order` is the order
    of the choices, in which the groups are shown."""
    shown = [c for c in order if people.get(c, 0) >= MIN_PEOPLE]
    small = [c for c, n in people.items() if c is not None and n and c not in shown]
    other = sum(people[c] for c in small)
    undeclared = people.get(None, 0)
    into: dict[int | None, Hashable] = {c: c for c in shown}
    if other and (other < MIN_PEOPLE or 0 < undeclared < MIN_PEOPLE):
        into.update(dict.fromkeys([*small, None], REST))
        residues = {REST: other + undeclared}
    else:
        into.update(dict.fromkeys(small, OTHER))
        into[None] = UNDECLARED
        residues = {OTHER: other, UNDECLARED: undeclared}
    # At most one residue is under the threshold here: the smallest groups join it.
    for residue, size in residues.items():
        if 0 < size < MIN_PEOPLE:
            into = {c: REST if bucket == residue else bucket for c, bucket in into.items()}
            while size < MIN_PEOPLE and shown:
                smallest = min(reversed(shown), key=lambda c: people[c])
                shown.remove(smallest)
                into[smallest] = REST
                size += people[smallest]
    with_people = {into[c] for c, n in people.items() if n}
    if not shown or len(with_people) < 2:
        return None
    return into


@dataclass
class Grouping:
    """The buckets of one figure, in order (the groups, then Other, Not declared or both), and
    the bucket each choice's posts count in."""

    buckets: list[Bucket]
    into: dict

    def key_of(self, choice: int | None) -> Hashable:
        return self.into.get(choice, self.into[None])


def group(
    people: dict[int | None, set], posts: dict[int | None, int], order: list[int]
) -> Grouping | None:
    """Group one figure's people and posts by choice; None if no breakdown may be shown.

    `people` holds the people of each choice (None: declared nothing), `posts` what each choice
    counts (a removed post counts under None, with nobody)."""
    into = merge({c: len(p) for c, p in people.items()}, order)
    if into is None:
        return None
    used = set(into.values())
    buckets = {key: Bucket(key) for key in [*order, OTHER, UNDECLARED, REST] if key in used}
    members: dict[Hashable, set] = {key: set() for key in buckets}
    grouping = Grouping([], into)
    for choice in set(people) | set(posts):
        key = grouping.key_of(choice)
        members[key] |= people.get(choice, set())
        buckets[key].count += posts.get(choice, 0)
    for key, who in members.items():
        buckets[key].people = len(who)
    grouping.buckets = [bucket for bucket in buckets.values() if bucket.count or bucket.people]
    return grouping
