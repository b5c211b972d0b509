"""Review use cases on the in-memory adapters: one review per reviewer and book."""

from __future__ import annotations

import asyncio

import pytest

from library.application.read_models import ReviewView
from library.application.reviews import ReviewChanges, ReviewInput
from library.domain.errors import DuplicateReview, NotFound, ValidationFailed
from library.domain.events import ReviewChanged
from tests.unit.application.use_case_app import App


def _fields(error: ValidationFailed) -> list[str]:
    return [e.field for e in error.errors]


class TestAddReview:
    async def test_a_review_is_added_normalised(self, app: App) -> None:
        book = await app.book("Dune")
        app.recorder.take()
        review = await app.add_review(book.id, ReviewInput("  Rita ", 5, "  Great.  "))
        assert review == ReviewView(review.id, "Rita", 5, "Great.")
        assert await app.catalogue.review(review.id) == review
        assert list(await app.catalogue.book_reviews(book.id) or ()) == [review]
        assert app.recorder.take() == [ReviewChanged(book.id, review.id)]

    async def test_the_subscriber_sees_the_committed_review(self, app: App) -> None:
        book = await app.book("Dune")
        app.recorder.take()
        review = await app.add_review(book.id, ReviewInput("Rita", 5))
        assert app.recorder.seen == [review]

    @pytest.mark.parametrize("comment", [None, "", "  \n"])
    async def test_no_comment(self, app: App, comment: str | None) -> None:
        book = await app.book("Dune")
        assert (await app.add_review(book.id, ReviewInput("Rita", 3, comment))).comment is None

    @pytest.mark.parametrize("second", ["Rita", "rita", "RITA", " rItA "])
    async def test_a_second_review_by_the_same_reviewer_is_refused(
        self, app: App, second: str
    ) -> None:
        book = await app.book("Dune")
        first = await app.add_review(book.id, ReviewInput("Rita", 5))
        app.recorder.take()
        with pytest.raises(DuplicateReview) as caught:
            await app.add_review(book.id, ReviewInput(second, 1))
        assert caught.value.book_id == book.id
        assert list(await app.catalogue.book_reviews(book.id) or ()) == [first]
        assert app.recorder.take() == []

    async def test_the_same_reviewer_may_review_another_book(self, app: App) -> None:
        dune, foundation = await app.book("Dune"), await app.book("Foundation")
        await app.add_review(dune.id, ReviewInput("Rita", 5))
        review = await app.add_review(foundation.id, ReviewInput("rita", 4))
        assert review.reviewer_name == "rita"

    async def test_racing_duplicates_have_exactly_one_winner(self, app: App) -> None:
        book = await app.book("Dune")
        results = await asyncio.gather(
            *(app.add_review(book.id, ReviewInput(name, 4)) for name in ["Rita", "rita"] * 5),
            return_exceptions=True,
        )
        winners = [r for r in results if isinstance(r, ReviewView)]
        assert len(winners) == 1
        assert all(isinstance(r, DuplicateReview) for r in results if r not in winners)
        assert (await app.show_book(book.id)).review_count == 1

    async def test_every_invalid_field_is_listed(self, app: App) -> None:
        book = await app.book("Dune")
        with pytest.raises(ValidationFailed) as caught:
            await app.add_review(book.id, ReviewInput("r" * 51, 6, "c" * 5001))
        assert _fields(caught.value) == ["reviewer_name", "rating", "comment"]

    @pytest.mark.parametrize(
        ("command", "field"),
        [
            (ReviewInput("", 3), "reviewer_name"),
            (ReviewInput(None, 3), "reviewer_name"),  # type: ignore[arg-type]
            (ReviewInput("Rita", 0), "rating"),
            (ReviewInput("Rita", True), "rating"),
            (ReviewInput("Rita", 4.0), "rating"),  # type: ignore[arg-type]
            (ReviewInput("Rita", "5"), "rating"),  # type: ignore[arg-type]
            (ReviewInput("Rita", None), "rating"),  # type: ignore[arg-type]
            (ReviewInput("Rita", 5, "\x00"), "comment"),
        ],
    )
    async def test_one_invalid_field(self, app: App, command: ReviewInput, field: str) -> None:
        book = await app.book("Dune")
        with pytest.raises(ValidationFailed) as caught:
            await app.add_review(book.id, command)
        assert _fields(caught.value) == [field]

    async def test_a_missing_book_is_not_found(self, app: App) -> None:
        with pytest.raises(NotFound) as caught:
            await app.add_review(5, ReviewInput("Rita", 5))
        assert (caught.value.entity, caught.value.entity_id) == ("book", 5)

    async def test_invalid_fields_come_before_not_found(self, app: App) -> None:
        with pytest.raises(ValidationFailed):
            await app.add_review(5, ReviewInput("Rita", 9))

    async def test_invalid_fields_come_before_the_duplicate(self, app: App) -> None:
        book = await app.book("Dune")
        await app.add_review(book.id, ReviewInput("Rita", 5))
        with pytest.raises(ValidationFailed):
            await app.add_review(book.id, ReviewInput("rita", 9))


class TestReviseReview:
    async def _review(self, app: App) -> ReviewView:
        book = await app.book("Dune")
        review = await app.add_review(book.id, ReviewInput("Rita", 5, "Great."))
        app.recorder.take()
        return review

    async def test_absent_fields_keep_their_value(self, app: App) -> None:
        review = await self._review(app)
        assert await app.revise_review(review.id, ReviewChanges()) == review

    async def test_rating_and_comment_change(self, app: App) -> None:
        review = await self._review(app)
        view = await app.revise_review(review.id, ReviewChanges(rating=2, comment=" Meh. "))
        assert view == ReviewView(review.id, "Rita", 2, "Meh.")
        assert await app.catalogue.review(review.id) == view
        assert app.recorder.seen == [view]
        assert app.recorder.take() == [ReviewChanged(1, review.id)]

    async def test_only_the_rating_changes(self, app: App) -> None:
        review = await self._review(app)
        view = await app.revise_review(review.id, ReviewChanges(rating=1))
        assert view == ReviewView(review.id, "Rita", 1, "Great.")
        assert (await app.show_book(1)).rating_avg == 1.0

    @pytest.mark.parametrize("comment", [None, "", " "])
    async def test_null_or_empty_comment_clears_it(self, app: App, comment: str | None) -> None:
        review = await self._review(app)
        view = await app.revise_review(review.id, ReviewChanges(comment=comment))
        assert view == ReviewView(review.id, "Rita", 5, None)

    async def test_null_rating_is_a_validation_failure(self, app: App) -> None:
        review = await self._review(app)
        with pytest.raises(ValidationFailed) as caught:
            await app.revise_review(review.id, ReviewChanges(rating=None))  # type: ignore[arg-type]
        assert _fields(caught.value) == ["rating"]

    async def test_every_invalid_field_is_listed(self, app: App) -> None:
        review = await self._review(app)
        with pytest.raises(ValidationFailed) as caught:
            await app.revise_review(review.id, ReviewChanges(rating=0, comment="c" * 5001))
        assert _fields(caught.value) == ["rating", "comment"]
        assert await app.catalogue.review(review.id) == review

    async def test_a_missing_review_is_not_found_after_validation(self, app: App) -> None:
        with pytest.raises(ValidationFailed):
            await app.revise_review(3, ReviewChanges(rating=6))
        with pytest.raises(NotFound) as caught:
            await app.revise_review(3, ReviewChanges(rating=4))
        assert (caught.value.entity, caught.value.entity_id) == ("review", 3)


class TestRemoveReview:
    async def test_the_review_goes_and_the_reviewer_may_review_again(self, app: App) -> None:
        book = await app.book("Dune")
        review = await app.add_review(book.id, ReviewInput("Rita", 5))
        app.recorder.take()
        await app.remove_review(review.id)
        assert await app.catalogue.review(review.id) is None
        detail = await app.show_book(book.id)
        assert (detail.reviews, detail.review_count, detail.rating_avg) == ((), 0, None)
        assert app.recorder.take() == [ReviewChanged(book.id, review.id)]
        again = await app.add_review(book.id, ReviewInput("RITA", 3))
        assert again.id != review.id

    async def test_the_subscriber_sees_the_review_gone(self, app: App) -> None:
        book = await app.book("Dune")
        review = await app.add_review(book.id, ReviewInput("Rita", 5))
        app.recorder.take()
        await app.remove_review(review.id)
        assert app.recorder.seen == [None]

    async def test_a_missing_review_is_not_found(self, app: App) -> None:
        with pytest.raises(NotFound):
            await app.remove_review(1)
        assert app.recorder.take() == []
