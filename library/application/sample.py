"""A small sample catalogue, loaded by `library serve --demo` so a new user sees data at once."""

from __future__ import annotations

from library.application.authors import AddAuthor, AuthorInput
from library.application.books import AddBook, BookInput
from library.application.ports import BookFilter, Catalogue
from library.application.reviews import AddReview, ReviewInput

_AUTHORS = [
    ("Ursula K. Le Guin", "ursula@earthsea.example"),
    ("Frank Herbert", "frank@arrakis.example"),
    ("Gabriel García Márquez", "gabo@macondo.example"),
    ("Isaac Asimov", None),
    ("Terry Pratchett", "terry@discworld.example"),
    ("Neil Gaiman", "neil@sandman.example"),
]

# (title, year, isbn, genre, description, author positions)
_BOOKS = [
    (
        "A Wizard of Earthsea",
        1968,
        "978-0-547-77374-2",
        "Fantasy",
        "A young mage sets loose a shadow and must hunt it across the islands.",
        [0],
    ),
    (
        "The Left Hand of Darkness",
        1969,
        "9780441478125",
        "Science Fiction",
        "An envoy tries to bring a planet of ambisexual people into a galactic union.",
        [0],
    ),
    (
        "The Dispossessed",
        1974,
        "0-06-051275-X",
        "Science Fiction",
        "A physicist travels between an anarchist moon and its capitalist planet.",
        [0],
    ),
    (
        "Dune",
        1965,
        "9780441172719",
        "Science Fiction",
        "A noble family takes control of the desert planet Arrakis and its spice.",
        [1],
    ),
    (
        "Children of Dune",
        1976,
        None,
        "Science Fiction",
        "The twins of Paul Atreides inherit a universe shaped by their father.",
        [1],
    ),
    (
        "Cien años de soledad",
        1967,
        "9780307474728",
        "Magical Realism",
        "Seven generations of the Buendía family in the town of Macondo.",
        [2],
    ),
    (
        "El amor en los tiempos del cólera",
        1985,
        None,
        "Romance",
        "A love that waits more than fifty years.",
        [2],
    ),
    (
        "Foundation",
        1951,
        "9780553293357",
        "Science Fiction",
        "A mathematician foresees the fall of the Galactic Empire and plans for after.",
        [3],
    ),
    (
        "I, Robot",
        1950,
        None,
        "Science Fiction",
        "Stories of robots and the three laws that govern them.",
        [3],
    ),
    (
        "Good Omens",
        1990,
        "9780060853983",
        "Fantasy",
        "An angel and a demon team up to stop the end of the world.",
        [4, 5],
    ),
    (
        "Guards! Guards!",
        1989,
        None,
        "Fantasy",
        "The Night Watch of Ankh-Morpork faces a dragon.",
        [4],
    ),
    (
        "American Gods",
        2001,
        "9780380789030",
        "Fantasy",
        "Old gods and new gods fight for the soul of America.",
        [5],
    ),
    ("Untitled Manuscript", None, None, None, None, []),
]

_REVIEWS = [
    (0, "Rita", 5, "A classic that never ages."),
    (0, "Tom", 4, None),
    (3, "Rita", 5, "The best world-building I know."),
    (3, "Sam", 3, "Slow start, great ending."),
    (5, "Lucía", 5, "Mágico."),
    (9, "Tom", 5, "Funny from the first page."),
]


async def load_sample_catalogue(
    catalogue: Catalogue, add_author: AddAuthor, add_book: AddBook, add_review: AddReview
) -> None:
    """Add the sample authors, books and reviews through the ordinary use cases.

    Does nothing when the catalogue already holds books, so that restarting a demo over
    PostgreSQL does not add the sample twice.
    """
    if await catalogue.books(BookFilter(), after=None, offset=0, limit=1):
        return
    author_ids = [
        (await add_author(AuthorInput(name=name, email=email))).id for name, email in _AUTHORS
    ]
    book_ids: list[int] = []
    for title, year, isbn, genre, description, authors in _BOOKS:
        book = await add_book(
            BookInput(
                title=title,
                year=year,
                book_isbn=isbn,
                genre_name=genre,
                description=description,
                author_ids=[author_ids[i] for i in authors],
            )
        )
        book_ids.append(book.id)
    for position, reviewer, rating, comment in _REVIEWS:
        await add_review(
            book_ids[position], ReviewInput(reviewer_name=reviewer, rating=rating, comment=comment)
        )
