"""Contract of the repositories: what add/get/save/remove/existing store and return."""

from __future__ import annotations

import pytest

from library.domain.errors import DuplicateReview
from library.domain.reviews import Comment, Rating
from tests.contract.contract_backends import Backend, author_data, book_data, review_data


async def test_an_added_author_reads_back_with_sorted_book_ids(backend: Backend) -> None:
    second = await backend.add_book("B")
    first = await backend.add_book("A")
    author_id = await backend.add_author("Ann", "ann@example.org", [first, second, first])
    async with backend.unit_of_work() as uow:
        author = await uow.authors.get(author_id)
    assert author is not None
    assert author.data == author_data("Ann", "ann@example.org")
    assert author.book_ids == tuple(sorted([first, second]))


async def test_an_added_book_reads_back_with_authors_and_reviewers(backend: Backend) -> None:
    b = await backend.add_author("B")
    a = await backend.add_author("A")
    book_id = await backend.add_book(
        "Dune", year=1965, isbn="9780441172719", genre="SF", description="Sand.", author_ids=[a, b]
    )
    await backend.add_review(book_id, "Rita")
    await backend.add_review(book_id, "Tom")
    async with backend.unit_of_work() as uow:
        book = await uow.books.get(book_id)
    assert book is not None
    assert book.data == book_data(
        "Dune", year=1965, isbn="9780441172719", genre="SF", description="Sand."
    )
    assert book.author_ids == tuple(sorted([a, b]))
    assert book.reviewers == frozenset({"rita", "tom"})


async def test_get_of_a_missing_row_is_none(backend: Backend) -> None:
    async with backend.unit_of_work() as uow:
        assert await uow.authors.get(1) is None
        assert await uow.books.get(1) is None
        assert await uow.reviews.get(1) is None


async def test_saving_a_book_replaces_its_data_and_authors(backend: Backend) -> None:
    old = await backend.add_author("Old")
    new = await backend.add_author("New")
    book_id = await backend.add_book("Draft", year=2000, author_ids=[old])
    async with backend.unit_of_work() as uow:
        book = await uow.books.get(book_id)
        assert book is not None
        book.revise(book_data("Final", genre="Essay"))
        book.replace_authors([new])
        await uow.books.save(book)
        await uow.commit()
    async with backend.unit_of_work() as uow:
        saved = await uow.books.get(book_id)
        old_author = await uow.authors.get(old)
        new_author = await uow.authors.get(new)
    assert saved is not None
    assert saved.data == book_data("Final", genre="Essay")
    assert saved.author_ids == (new,)
    assert old_author is not None
    assert old_author.book_ids == ()
    assert new_author is not None
    assert new_author.book_ids == (book_id,)


async def test_saving_an_author_replaces_their_data_and_books(backend: Backend) -> None:
    kept = await backend.add_book("Kept")
    dropped = await backend.add_book("Dropped")
    added = await backend.add_book("Added")
    author_id = await backend.add_author("Ann", book_ids=[kept, dropped])
    async with backend.unit_of_work() as uow:
        author = await uow.authors.get(author_id)
        assert author is not None
        author.revise(author_data("Anne", "anne@example.org"))
        author.replace_books([added, kept])
        await uow.authors.save(author)
        await uow.commit()
    async with backend.unit_of_work() as uow:
        saved = await uow.authors.get(author_id)
        dropped_book = await uow.books.get(dropped)
        added_book = await uow.books.get(added)
    assert saved is not None
    assert saved.data == author_data("Anne", "anne@example.org")
    assert saved.book_ids == tuple(sorted([kept, added]))
    assert dropped_book is not None
    assert dropped_book.author_ids == ()
    assert added_book is not None
    assert added_book.author_ids == (author_id,)


async def test_removing_a_book_removes_its_reviews_and_links_but_not_its_authors(
    backend: Backend,
) -> None:
    author_id = await backend.add_author("Ann")
    book_id = await backend.add_book("Gone", author_ids=[author_id])
    other_id = await backend.add_book("Stays", author_ids=[author_id])
    review_id = await backend.add_review(book_id, "Rita")
    other_review = await backend.add_review(other_id, "Rita")
    async with backend.unit_of_work() as uow:
        book = await uow.books.get(book_id)
        assert book is not None
        await uow.books.remove(book)
        await uow.commit()
    async with backend.unit_of_work() as uow:
        assert await uow.books.get(book_id) is None
        assert await uow.reviews.get(review_id) is None
        assert await uow.reviews.get(other_review) is not None
        author = await uow.authors.get(author_id)
    assert author is not None
    assert author.book_ids == (other_id,)
    assert await backend.catalogue.review(review_id) is None


async def test_removing_an_author_removes_only_their_links(backend: Backend) -> None:
    author_id = await backend.add_author("Gone")
    other_id = await backend.add_author("Stays")
    book_id = await backend.add_book("Book", author_ids=[author_id, other_id])
    async with backend.unit_of_work() as uow:
        author = await uow.authors.get(author_id)
        assert author is not None
        await uow.authors.remove(author)
        await uow.commit()
    async with backend.unit_of_work() as uow:
        assert await uow.authors.get(author_id) is None
        book = await uow.books.get(book_id)
    assert book is not None
    assert book.author_ids == (other_id,)


async def test_existing_returns_the_subset_that_exists(backend: Backend) -> None:
    a = await backend.add_author("A")
    b = await backend.add_book("B")
    async with backend.unit_of_work() as uow:
        assert await uow.authors.existing([a, a + 1, 999]) == {a}
        assert await uow.books.existing({b, b + 1}) == {b}
        assert await uow.books.existing([]) == set()


async def test_a_review_reads_back_and_saves(backend: Backend) -> None:
    book_id = await backend.add_book("Dune")
    review_id = await backend.add_review(book_id, "Rita", 3, "Slow start.")
    async with backend.unit_of_work() as uow:
        review = await uow.reviews.get(review_id)
        assert review is not None
        assert (review.book_id, review.data) == (book_id, review_data("Rita", 3, "Slow start."))
        review.revise(Rating(5), Comment.parse("Great ending."))
        await uow.reviews.save(review)
        await uow.commit()
    view = await backend.catalogue.review(review_id)
    assert view is not None
    assert (view.reviewer_name, view.rating, view.comment) == ("Rita", 5, "Great ending.")


async def test_a_second_review_by_the_same_reviewer_is_a_duplicate(backend: Backend) -> None:
    book_id = await backend.add_book("Dune")
    other_id = await backend.add_book("Emma")
    await backend.add_review(book_id, "Rita")
    async with backend.unit_of_work() as uow:
        with pytest.raises(DuplicateReview):
            await uow.reviews.add(book_id, review_data("rITA"))
    # Another book, or another reviewer, is fine.
    await backend.add_review(other_id, "Rita")
    await backend.add_review(book_id, "Rita B")


async def test_a_duplicate_inside_one_transaction_is_refused_too(backend: Backend) -> None:
    book_id = await backend.add_book("Dune")
    async with backend.unit_of_work() as uow:
        await uow.reviews.add(book_id, review_data("Rita"))
        with pytest.raises(DuplicateReview):
            await uow.reviews.add(book_id, review_data("RITA"))


async def test_a_reviewer_may_review_again_once_their_review_is_removed(backend: Backend) -> None:
    book_id = await backend.add_book("Dune")
    review_id = await backend.add_review(book_id, "Rita")
    async with backend.unit_of_work() as uow:
        review = await uow.reviews.get(review_id)
        assert review is not None
        await uow.reviews.remove(review)
        await uow.commit()
    again = await backend.add_review(book_id, "rita")
    assert again > review_id
    async with backend.unit_of_work() as uow:
        book = await uow.books.get(book_id)
    assert book is not None
    assert book.reviewers == frozenset({"rita"})
