"""A deterministic synthetic catalogue in the original service's file format.

Titles are drawn from word lists so that search has something to find; names include
accented ones; ISBNs are unique 13-digit ISBNs with a correct check digit.
"""

from __future__ import annotations

import random
from typing import Any

_FIRST = (
    "Ada Alan Alice Amélie Ana Anton Astrid Beatriz Bruno Camille Carlos Chiara Clara Daniel "
    "Dmitri Elena Émile Eva Fatima Felix François Greta Hana Hugo Ines Isabel Ivan Jana João "
    "Jonas Jörg Julia Kenji Lars Léa Lena Lucía Luis Maja Marco María Mateo Mia Milan Nadia "
    "Nils Noémie Olga Omar Pablo Paula Pedro Petra Rafael Renée Rosa Sara Søren Sofia Tomás "
    "Ulla Victor Yara Zoë"
).split()
_LAST = (
    "Abrams Álvarez Andersen Bauer Becker Bernard Blanco Brontë Castro Costa Dąbrowski Dubois "
    "Eriksson Fernández Fischer García Gómez Hansen Hernández Ibáñez Jansen Jiménez Kowalski "
    "Larsen Laurent Lefèvre López Martín Meyer Moreau Müller Navarro Nielsen Novák Olsen "
    "Pérez Petrov Quintana Richter Rossi Ruiz Sánchez Schmidt Schneider Silva Søndergaard "
    "Suárez Torres Vasquez Weber Wójcik Yilmaz Zimmermann"
).split()
_ADJECTIVES = (
    "Silent Hidden Broken Golden Crimson Endless Forgotten Burning Distant Quiet Secret Last "
    "Lost Wild Frozen Bright Dark Hollow Iron Silver Wandering Restless Sleeping Painted "
    "Shattered Gentle Ancient Northern Southern Midnight"
).split()
_NOUNS = (
    "River Garden Empire Mirror Kingdom Harbor Forest Lantern Orchard Tower Voyage Island "
    "Shadow Winter Summer Letter Machine Compass Archive Desert Ocean Mountain Cathedral "
    "Bridge Clockmaker Cartographer Alchemist Lighthouse Frontier Labyrinth Storm Memory"
).split()
_PLACES = (
    "Arrakis Avalon Babylon Carthage Elsinore Gondor Kyoto Lisbon Macondo Marrakesh Narnia "
    "Odessa Prague Samarkand Tangier Valparaíso Venice Zanzibar"
).split()
_GENRES = (
    "Fantasy",
    "Science Fiction",
    "Mystery",
    "Thriller",
    "Romance",
    "Historical Fiction",
    "Horror",
    "Adventure",
    "Literary Fiction",
    "Magical Realism",
    "Biography",
    "Poetry",
    "Crime",
    "Dystopian",
    "Young Adult",
    "Philosophy",
    "Travel",
    "Satire",
    "Drama",
    "Essays",
)
_VERBS = ("discovers escapes remembers loses inherits betrays guards maps builds crosses").split()
_WHO = (
    "a young cartographer",
    "an old sailor",
    "two sisters",
    "a disgraced detective",
    "a lonely robot",
    "the last librarian",
    "a travelling musician",
    "a reluctant heir",
)


def _title(rng: random.Random) -> str:
    pattern = rng.randrange(5)
    adjective, noun, other = rng.choice(_ADJECTIVES), rng.choice(_NOUNS), rng.choice(_NOUNS)
    if pattern == 0:
        return f"The {adjective} {noun}"
    if pattern == 1:
        return f"The {noun} of {rng.choice(_PLACES)}"
    if pattern == 2:
        return f"{adjective} {noun}s"
    if pattern == 3:
        return f"A {noun} for the {adjective} {other}"
    return f"{noun} and {other}"


# Languages as a catalogue of mostly English books has them (None: not recorded).
_LANGUAGES = ("en", "fr", "de", "es", "it", "pt", "ja", None)
_LANGUAGE_WEIGHTS = (60, 8, 7, 6, 4, 3, 2, 10)


def _isbn13(number: int) -> str:
    digits = f"978{number:09d}"
    total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(digits))
    return digits + str((10 - total % 10) % 10)


def generate_catalogue(books: int = 50_000, authors: int = 116, seed: int = 1) -> dict[str, Any]:
    """A catalogue of `books` books by `authors` authors; the same seed, the same catalogue."""
    rng = random.Random(seed)
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < authors:
        name = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
        if name in seen:
            name = f"{name} {len(names) + 1}"  # more authors than name pairs: keep them unique
        seen.add(name)
        names.append(name)
    author_records: list[dict[str, object]] = [
        {
            "name": name,
            "email": f"author{i + 1}@example.org" if rng.random() < 0.8 else None,
            "book_ids": [],
        }
        for i, name in enumerate(names)
    ]
    isbn_numbers = rng.sample(range(10**9), books)
    # A generator of its own, so that every other field is what the same seed gave before
    # books had a language.
    languages = random.Random(f"{seed}-language").choices(_LANGUAGES, _LANGUAGE_WEIGHTS, k=books)
    book_records = []
    for index in range(books):
        title = _title(rng)
        book_records.append(
            {
                "title": title,
                "year": rng.randint(1800, 2025),
                "book_isbn": _isbn13(isbn_numbers[index]),
                "genre_name": rng.choice(_GENRES),
                "description": (
                    f"In {rng.choice(_PLACES)}, {rng.choice(_WHO)} {rng.choice(_VERBS)}"
                    f" the {rng.choice(_ADJECTIVES).lower()} {rng.choice(_NOUNS).lower()}."
                ),
                "author_ids": sorted(
                    rng.sample(range(1, authors + 1), min(rng.randint(1, 3), authors))
                )
                if authors
                else [],
                "language": languages[index],
            }
        )
    return {"authors": author_records, "books": book_records}
