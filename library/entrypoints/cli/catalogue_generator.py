"""A deterministic synthetic catalogue in the original service's file format.

Titles and descriptions are drawn from a vocabulary of about 5,000 English words with
Zipf-like frequencies (a few words in many titles, most in few), as a real catalogue's are,
so that searches meet real match counts; names include accented ones; ISBNs are unique
13-digit ISBNs with a correct check digit.
"""

from __future__ import annotations

import itertools
import random
from typing import Any

from library.entrypoints.cli.catalogue_words import WORDS

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


# Zipf-Mandelbrot: the word of rank r has weight 1 / (r + OFFSET) ** EXPONENT; the offset
# keeps the handful of commonest words from crowding out the rest (the commonest is then in
# about 3% of titles, as "love" or "night" are in a real catalogue's).
ZIPF_EXPONENT = 1.0
ZIPF_OFFSET = 12


class Vocabulary:
    """Title and description words with Zipf-like frequencies: a few in many titles, most in
    few. The classic title words come first (the most frequent), then the word list in an
    order drawn from the seed."""

    def __init__(self, rng: random.Random) -> None:
        classic = [w.lower() for w in (*_ADJECTIVES, *_NOUNS)]
        rest = [w for w in WORDS if w not in set(classic)]
        rng.shuffle(rest)
        self.words = [*classic, *rest]
        weights = [1.0 / (rank + ZIPF_OFFSET) ** ZIPF_EXPONENT for rank in range(len(self.words))]
        self._cumulative = list(itertools.accumulate(weights))
        self._rng = rng

    def draw(self, count: int = 1) -> list[str]:
        return self._rng.choices(self.words, cum_weights=self._cumulative, k=count)


def _title(rng: random.Random, vocabulary: Vocabulary) -> str:
    a, b, c = (word.capitalize() for word in vocabulary.draw(3))
    pattern = rng.randrange(9) if rng.random() < 0.97 else 9  # few one-word titles
    if pattern <= 2:
        return f"The {a} {b}"
    if pattern == 3:
        return f"{a} of {b}"
    if pattern == 4:
        return f"The {a} of {rng.choice(_PLACES)}"
    if pattern == 5:
        return f"A {a} for the {b} {c}"
    if pattern == 6:
        return f"{a} and {b}"
    if pattern == 7:
        return f"{a} {b} {c}"
    if pattern == 8:
        return f"The {a} {b} of the {c}"
    return a


def _description(rng: random.Random, vocabulary: Vocabulary) -> str:
    words = vocabulary.draw(rng.randint(6, 14))
    joined = " ".join(
        f"{word} {rng.choice(('and', 'of', 'the', 'in'))}" if rng.random() < 0.2 else word
        for word in words
    )
    return f"In {rng.choice(_PLACES)}, {rng.choice(_WHO)} {rng.choice(_VERBS)} {joined}."


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
    vocabulary = Vocabulary(rng)
    # A generator of its own: drawing languages shifts no other field.
    languages = random.Random(f"{seed}-language").choices(_LANGUAGES, _LANGUAGE_WEIGHTS, k=books)
    book_records = []
    for index in range(books):
        title = _title(rng, vocabulary)
        book_records.append(
            {
                "title": title,
                "year": rng.randint(1800, 2025),
                "book_isbn": _isbn13(isbn_numbers[index]),
                "genre_name": rng.choice(_GENRES),
                "description": _description(rng, vocabulary),
                "author_ids": sorted(
                    rng.sample(range(1, authors + 1), min(rng.randint(1, 3), authors))
                )
                if authors
                else [],
                "language": languages[index],
            }
        )
    return {"authors": author_records, "books": book_records}
