"""Entities: books own their author list and their reviewers' uniqueness."""

from __future__ import annotations

import pytest

from library.domain.authors import Author, AuthorData, AuthorName, Email
from library.domain.books import Book, BookData, Title, Year
from library.domain.errors import DuplicateReview
from library.domain.reviews import Comment, Rating, Review, ReviewData, ReviewerName


def _book(**kwargs: object) -> Book:
    return Book(id=7, data=BookData(Title("Dune"), Year(1965)), **kwargs)  # type: ignore[arg-type]


def _review(name: str, rating: int = 4) -> ReviewData:
    return ReviewData(ReviewerName(name), Rating(rating))


class TestBookAuthors:
    def test_replace_authors_drops_repeats_and_sorts(self) -> None:
        book = _book(author_ids=(1,))
        book.replace_authors([5, 3, 5, 1, 3])
        assert book.author_ids == (1, 3, 5)

    def test_replace_authors_takes_a_tuple(self) -> None:
        book = _book()
        book.replace_authors((9, 2))
        assert book.author_ids == (2, 9)

    def test_replace_authors_with_nothing_clears(self) -> None:
        book = _book(author_ids=(1, 2))
        book.replace_authors([])
        assert book.author_ids == ()

    def test_revise_replaces_the_data_and_keeps_the_rest(self) -> None:
        book = _book(author_ids=(1,), reviewers=frozenset({"rita"}))
        data = BookData(Title("Children of Dune"))
        book.revise(data)
        assert (book.data, book.author_ids, book.reviewers) == (data, (1,), frozenset({"rita"}))


class TestBookReviews:
    def test_a_first_review_is_accepted_and_remembered(self) -> None:
        book = _book()
        book.accept_review(_review("Rita"))
        assert book.reviewers == frozenset({"rita"})

    def test_different_reviewers_are_accepted(self) -> None:
        book = _book()
        book.accept_review(_review("Rita"))
        book.accept_review(_review("Tom"))
        assert book.reviewers == frozenset({"rita", "tom"})

    @pytest.mark.parametrize("second", ["Rita", "rita", "RITA", "  rItA  "])
    def test_the_same_reviewer_in_any_case_is_refused(self, second: str) -> None:
        book = _book()
        book.accept_review(_review("Rita"))
        with pytest.raises(DuplicateReview) as caught:
            book.accept_review(_review(second, rating=1))
        assert caught.value.book_id == 7
        assert caught.value.reviewer_name == second.strip()
        assert book.reviewers == frozenset({"rita"})

    def test_reviewers_loaded_with_the_book_count(self) -> None:
        book = _book(reviewers=frozenset({"lucía"}))
        with pytest.raises(DuplicateReview):
            book.accept_review(_review("LUCÍA"))


class TestAuthorBooks:
    def test_replace_books_drops_repeats_and_sorts(self) -> None:
        author = Author(1, AuthorData(AuthorName("Frank Herbert"), None), book_ids=(4,))
        author.replace_books([8, 2, 8, 4])
        assert author.book_ids == (2, 4, 8)

    def test_replace_books_with_nothing_clears(self) -> None:
        author = Author(1, AuthorData(AuthorName("Frank Herbert"), None), book_ids=(4,))
        author.replace_books(())
        assert author.book_ids == ()

    def test_revise_keeps_the_books(self) -> None:
        author = Author(1, AuthorData(AuthorName("Frank"), None), book_ids=(4,))
        data = AuthorData(AuthorName("Frank Herbert"), Email.parse("frank@arrakis.example"))
        author.revise(data)
        assert (author.data, author.book_ids) == (data, (4,))


def test_a_revised_review_keeps_its_reviewer() -> None:
    review = Review(3, 7, ReviewData(ReviewerName("Rita"), Rating(5), Comment.parse("Great")))
    review.revise(Rating(2), None)
    assert review.data == ReviewData(ReviewerName("Rita"), Rating(2), None)
    assert (review.id, review.book_id) == (3, 7)
