"""People across a corpus: the mentions of many cables grouped into one entry per person.

Within a cable, a surname alone (``Chun``) belongs to the full name written there
(``Chun Yung-woo``). Across cables, full names meet when their folded tokens are equal or are
spellings of each other (``names.same_token``: ``Qadhafi``/``Gaddafi``), and a surname never
written with a given name stays an entry of its own, since two cables' "Kim" need not be one
person. Officials in header roles are counted apart (``official``), never merged into sources.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from cabledesk.protect.model import Entity, Mention
from cabledesk.protect.names import core, fold, same_token, significant, skeleton, tokens

__all__ = ["EntityIndex", "group_cable"]


def _keys(name: str) -> tuple[str, ...]:
    return tuple(significant(t.key for t in tokens(name)))


def _skeletons(keys: tuple[str, ...]) -> tuple[str, ...]:
    """Where spellings of one full name meet (``names.same_token`` compares skeletons)."""
    return tuple(skeleton(core(k)) for k in keys)


def group_cable(mentions: Iterable[Mention]) -> dict[tuple[str, ...], list[Mention]]:
    """One cable's mentions grouped by what each refers to: a person by the fullest name
    written for them (keys ``("person", tokens...)``), an organisation or place by its name."""
    mentions = list(mentions)
    groups = _group_people([m for m in mentions if m.kind == "person"])
    for m in mentions:
        if m.kind != "person":
            keys = tuple(t.key for t in tokens(m.name))
            if keys:
                groups.setdefault((m.kind, *keys), []).append(m)
    return groups


def _group_people(people: list[Mention]) -> dict[tuple[str, ...], list[Mention]]:
    full = sorted({_keys(m.name) for m in people if len(_keys(m.name)) > 1}, key=len, reverse=True)
    groups: dict[tuple[str, ...], list[Mention]] = {}
    for m in people:
        keys = _keys(m.name)
        if not keys:
            continue
        owner = keys
        if len(keys) == 1:
            owners = [f for f in full if any(same_token(keys[0], k) for k in f)]
            if len(owners) == 1:
                owner = owners[0]
        groups.setdefault(("person", *owner), []).append(m)
    return groups


@dataclass(slots=True)
class EntityIndex:
    """Entities of a corpus, built cable by cable (``add``), read with ``entities``."""

    _by_key: dict[str, Entity] = field(default_factory=dict)

    _by_skeleton: dict[tuple[str, ...], list[Entity]] = field(default_factory=dict)

    def _find(self, kind: str, keys: tuple[str, ...]) -> Entity | None:
        exact = self._by_key.get(f"{kind}:{' '.join(keys)}")
        if exact is not None or kind != "person" or len(keys) < 2:
            return exact
        for entity in self._by_skeleton.get(_skeletons(keys), ()):
            if all(map(same_token, _keys(entity.name), keys)):
                return entity
        return None

    def add(self, reference_id: str, mentions: Iterable[Mention]) -> None:
        """Count one cable's mentions."""
        for (kind, *rest), group in group_cable(mentions).items():
            keys = tuple(rest)
            entity = self._find(kind, keys)
            if entity is None:
                fullest = max(group, key=lambda m: len(_keys(m.name)))
                entity = Entity(f"{kind}:{' '.join(keys)}", fullest.name, kind)
                self._by_key[entity.key] = entity
                if kind == "person" and len(keys) > 1:
                    self._by_skeleton.setdefault(_skeletons(keys), []).append(entity)
            for m in group:
                entity.variants.add(" ".join(m.text.split()))
                if m.title:
                    entity.titles.add(m.title)
                if m.role == "official":
                    entity.official = True
                if len(_keys(m.name)) > len(_keys(entity.name)) and not m.name.isupper():
                    entity.name = m.name
            entity.mentions += len(group)
            entity.cables.add(reference_id)

    def entities(
        self, *, include_officials: bool = True, kinds: tuple[str, ...] = ("person",)
    ) -> list[Entity]:
        """Entities by how many cables name them, then by mentions, then by name."""
        chosen = [
            e
            for e in self._by_key.values()
            if e.kind in kinds and (include_officials or not e.official)
        ]
        return sorted(chosen, key=lambda e: (-len(e.cables), -e.mentions, fold(e.name)))
