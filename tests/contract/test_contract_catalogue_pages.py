"""Contract of the Catalogue port's detail reads: book, reviews, review, author, books of."""

from __future__ import annotations

from library.application.read_models import AuthorView, BookDetail, BookSummary, ReviewView
from tests.contract.contract_backends import Backend


async def test_a_book_detail_has_authors_and_reviews_by_id_and_their_summary(
    backend: Backend,
) -> None:
    second = await backend.add_author("Terry Pratchett", "terry@discworld.example")
    first = await backend.add_author("Neil Gaiman")
    book_id = await backend.add_book(
        "Good Omens",
        year=1990,
        isbn="9780060853983",
        genre="Fantasy",
        description="An angel and a demon.",
        author_ids=[first, second],
    )
    tom = await backend.add_review(book_id, "Tom", 5, "Funny.")
    rita = await backend.add_review(book_id, "Rita", 4)
    detail = await backend.catalogue.book(book_id)
    assert detail == BookDetail(
        id=book_id,
        title="Good Omens",
        year=1990,
        book_isbn="9780060853983",
        genre_name="Fantasy",
        description="An angel and a demon.",
        authors=tuple(
            sorted(
                [
                    AuthorView(second, "Terry Pratchett", "terry@discworld.example"),
                    AuthorView(first, "Neil Gaiman", None),
                ],
                key=lambda author: author.id,
            )
        ),
        reviews=(ReviewView(tom, "Tom", 5, "Funny."), ReviewView(rita, "Rita", 4, None)),
        review_count=2,
        rating_avg=4.5,
    )


async def test_a_book_without_reviews_has_no_average(backend: Backend) -> None:
    book_id = await backend.add_book("Untitled")
    detail = await backend.catalogue.book(book_id)
    assert detail is not None
    assert (detail.authors, detail.reviews, detail.review_count, detail.rating_avg) == (
        (),
        (),
        0,
        None,
    )
    assert (detail.year, detail.book_isbn, detail.genre_name, detail.description) == (
        None,
        None,
        None,
        None,
    )


async def test_the_average_rating_is_a_float(backend: Backend) -> None:
    book_id = await backend.add_book("Dune")
    for name, rating in [("a", 5), ("b", 4), ("c", 4)]:
        await backend.add_review(book_id, name, rating)
    detail = await backend.catalogue.book(book_id)
    assert detail is not None
    assert isinstance(detail.rating_avg, float)
    assert abs(detail.rating_avg - 13 / 3) < 1e-9


async def test_reads_of_missing_things_are_none(backend: Backend) -> None:
    assert await backend.catalogue.book(1) is None
    assert await backend.catalogue.book_reviews(1) is None
    assert await backend.catalogue.review(1) is None
    assert await backend.catalogue.author(1) is None
    assert await backend.catalogue.author_books(1) is None


async def test_book_reviews_are_by_id_and_empty_when_there_are_none(backend: Backend) -> None:
    book_id = await backend.add_book("Dune")
    reviews = await backend.catalogue.book_reviews(book_id)
    assert reviews is not None
    assert list(reviews) == []
    first = await backend.add_review(book_id, "Sam", 3)
    second = await backend.add_review(book_id, "Ann", 5, "Yes.")
    assert list(await backend.catalogue.book_reviews(book_id) or []) == [
        ReviewView(first, "Sam", 3, None),
        ReviewView(second, "Ann", 5, "Yes."),
    ]


async def test_an_author_and_their_books_by_id(backend: Backend) -> None:
    later = await backend.add_book("Later", year=2001)
    earlier = await backend.add_book("Earlier")
    author_id = await backend.add_author("Ann", "ann@example.org", [earlier, later])
    assert await backend.catalogue.author(author_id) == AuthorView(
        author_id, "Ann", "ann@example.org"
    )
    assert list(await backend.catalogue.author_books(author_id) or []) == [
        BookSummary(later, "Later", 2001),
        BookSummary(earlier, "Earlier", None),
    ]


async def test_an_author_without_books_has_an_empty_list(backend: Backend) -> None:
    author_id = await backend.add_author("Ann")
    books = await backend.catalogue.author_books(author_id)
    assert books is not None
    assert list(books) == []


async def test_a_list_item_carries_the_book_and_its_authors(backend: Backend) -> None:
    author_id = await backend.add_author("Frank Herbert")
    book_id = await backend.add_book("Dune", year=1965, genre="SF", author_ids=[author_id])
    [hit] = await backend.list_books()
    assert hit.relevance is None
    assert hit.book.id == book_id
    assert (hit.book.title, hit.book.year, hit.book.genre_name) == ("Dune", 1965, "SF")
    assert hit.book.authors == (AuthorView(author_id, "Frank Herbert", None),)
