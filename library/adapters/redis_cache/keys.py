"""Cache keys and the generations each cached read depends on.

Every key carries the same hash tag, `{namespace}`, so that an entry and the generations it
depends on always live in one slot: multi-key reads and scripts work unchanged on Redis
Cluster (at the price of keeping the cache on one shard, which a catalogue of this size fits).

A generation is a counter value; writers set the generations of what they changed to a fresh
value after commit, and an entry is only valid while every generation it recorded is current.
`epoch` is a dependency of every entry: bumping it empties the cache at once (used when an
instance may have missed invalidations).

Entry keys carry a version of what the entries hold (`entry_version`: the read models'
shape and the codec's layout), generation keys do not: after a deploy that changes a read
model, instances of the new version never read entries of the old shape (nor the old ones
the new), while writers on either still invalidate what both have cached, since they bump
the same generations.
"""

from __future__ import annotations

import hashlib
from typing import Any

import attrs
import orjson
from attrs import field, frozen

from library.adapters.redis_cache.codec import LAYOUT
from library.application.read_models import shape_of


def entry_version() -> str:
    """The version of this build's entries: its read models' shape and the codec's layout."""
    return f"{shape_of()}.{LAYOUT}"


def canonical(*parts: Any) -> str:
    """One text per distinct query (filters, position, offset, limit), for its entry's key.

    Attrs instances become their fields by name and JSON keeps types apart (1, 1.0, "1"), so
    two queries share an entry exactly when they are equal.
    """

    def plain(value: Any) -> Any:
        if attrs.has(type(value)):
            return {"": type(value).__name__, **attrs.asdict(value, recurse=False)}
        raise TypeError(f"cannot put {type(value).__name__} into a cache key")

    return orjson.dumps(parts, default=plain, option=orjson.OPT_SORT_KEYS).decode()


def _hash_tag(instance: object, attribute: object, namespace: str) -> None:
    # Redis hashes what lies between the first "{" and the next "}" when that is not empty:
    # an empty namespace or one with a brace would hash part of each key instead, scattering
    # one entry's keys over slots (CROSSSLOT on a cluster).
    if not namespace or "{" in namespace or "}" in namespace:
        raise ValueError(f"cache namespace must be non-empty, without braces: {namespace!r}")


@frozen
class CacheKeys:
    """Key names under one namespace (non-empty, without braces).

    Raises:
        ValueError: the namespace cannot serve as a hash tag.
    """

    namespace: str = field(default="library", validator=_hash_tag)
    version: str = field(factory=entry_version)  # of the entries; generations have none

    def _key(self, name: str) -> str:
        return f"{{{self.namespace}}}:{name}"

    def _entry(self, name: str) -> str:
        return f"{{{self.namespace}}}:v{self.version}:{name}"

    # Entries
    def book(self, book_id: int) -> str:
        return self._entry(f"book:{book_id}")

    def book_reviews(self, book_id: int) -> str:
        return self._entry(f"book:{book_id}:reviews")

    def author(self, author_id: int) -> str:
        return self._entry(f"author:{author_id}")

    def author_books(self, author_id: int) -> str:
        return self._entry(f"author:{author_id}:books")

    def book_list(self, canonical_query: str) -> str:
        return self._entry(f"books:{_digest(canonical_query)}")

    def author_list(self, canonical_query: str) -> str:
        return self._entry(f"authors:{_digest(canonical_query)}")

    # Generations
    @property
    def clock(self) -> str:
        """The counter new generation values are drawn from."""
        return self._key("g:clock")

    @property
    def epoch(self) -> str:
        return self._key("g:epoch")

    @property
    def all_books(self) -> str:
        """Every book list and every author's book list (titles, years, membership)."""
        return self._key("g:books")

    @property
    def all_authors(self) -> str:
        """Everything that shows author names: author lists, and book pages and lists."""
        return self._key("g:authors")

    def book_generation(self, book_id: int) -> str:
        return self._key(f"g:book:{book_id}")

    def author_generation(self, author_id: int) -> str:
        return self._key(f"g:author:{author_id}")


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
