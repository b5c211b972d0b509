"""Cache keys and the generations each cached read depends on.

Every key carries the same hash tag, `{namespace}`, so that an entry and the generations it
depends on always live in one slot: multi-key reads and scripts work unchanged on Redis
Cluster (at the price of keeping the cache on one shard, which a catalogue of this size fits).

A generation is a counter value; writers set the generations of what they changed to a fresh
value after commit, and an entry is only valid while every generation it recorded is current.
`epoch` is a dependency of every entry: bumping it empties the cache at once (used when an
instance may have missed invalidations).
"""

from __future__ import annotations

import hashlib

from attrs import field, frozen


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

    def _key(self, name: str) -> str:
        return f"{{{self.namespace}}}:{name}"

    # Entries
    def book(self, book_id: int) -> str:
        return self._key(f"book:{book_id}")

    def book_reviews(self, book_id: int) -> str:
        return self._key(f"book:{book_id}:reviews")

    def author(self, author_id: int) -> str:
        return self._key(f"author:{author_id}")

    def author_books(self, author_id: int) -> str:
        return self._key(f"author:{author_id}:books")

    def book_list(self, canonical_query: str) -> str:
        return self._key(f"books:v1:{_digest(canonical_query)}")

    def author_list(self, canonical_query: str) -> str:
        return self._key(f"authors:v1:{_digest(canonical_query)}")

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
