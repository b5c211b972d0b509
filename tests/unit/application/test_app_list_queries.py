"""Query parameters of GET /books and GET /authors: each checked, then their combination."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from library.application.catalogue import author_filter, book_list_query
from library.application.cursors import encode_cursor
from library.application.errors import InvalidQuery
from library.application.list_params import AuthorListParams, BookListParams
from library.application.ports import AuthorFilter, BookFilter, BookPosition, SortOrder
from library.domain.errors import ValidationFailed
from library.domain.ids import MAX_ID

TITLE_ASC = SortOrder("title", descending=False)
TITLE_DESC = SortOrder("title", descending=True)
YEAR_ASC = SortOrder("year", descending=False)
YEAR_DESC = SortOrder("year", descending=True)
SIMILARITY_DESC = SortOrder("similarity", descending=True)
SIMILARITY_ASC = SortOrder("similarity", descending=False)


def _fields(error: ValidationFailed) -> list[str]:
    return [e.field for e in error.errors]


def _invalid(params: BookListParams) -> list[str]:
    with pytest.raises(ValidationFailed) as caught:
        book_list_query(params)
    return _fields(caught.value)


class TestBookListDefaults:
    def test_no_parameters(self) -> None:
        query = book_list_query(BookListParams())
        assert query.filter == BookFilter()
        assert (query.limit, query.offset, query.after) == (20, 0, None)

    def test_empty_parameters_count_as_absent(self) -> None:
        params = BookListParams(
            q="",
            title="",
            isbn="",
            author_id="",
            before="",
            after="",
            limit="",
            offset="",
            cursor="",
            sort=("", "  "),
        )
        assert book_list_query(params) == book_list_query(BookListParams())

    def test_blank_text_filters_count_as_absent(self) -> None:
        query = book_list_query(BookListParams(q="   ", title="\t"))
        assert (query.filter.q, query.filter.title) == (None, None)

    def test_every_filter_is_normalised(self) -> None:
        params = BookListParams(
            q="  dune  ",
            title=" Dune ",
            isbn="978-0-441-17271-9",
            author_id="3",
            before="2000",
            after="-50",
            limit="100",
            offset=str(MAX_ID),
        )
        query = book_list_query(params)
        assert query.filter == BookFilter(
            q="dune",
            title="Dune",
            isbn="9780441172719",
            author_id=3,
            before=2000,
            after=-50,
            sort=(SIMILARITY_DESC,),
        )
        assert (query.limit, query.offset) == (100, MAX_ID)

    def test_q_alone_defaults_to_similarity_descending(self) -> None:
        query = book_list_query(BookListParams(q="dune"))
        assert query.filter.sort == (SIMILARITY_DESC,)

    def test_q_with_a_sort_keeps_that_sort(self) -> None:
        query = book_list_query(BookListParams(q="dune", sort=("year",)))
        assert query.filter.sort == (YEAR_ASC,)


class TestSort:
    @pytest.mark.parametrize(
        ("specs", "expected"),
        [
            (("title",), (TITLE_ASC,)),
            (("TITLE",), (TITLE_ASC,)),
            (("title:asc",), (TITLE_ASC,)),
            (("Title:DESC",), (TITLE_DESC,)),
            ((" year:Desc ",), (YEAR_DESC,)),
            (("year",), (YEAR_ASC,)),
            (("year", "title:desc"), (YEAR_ASC, TITLE_DESC)),
            (("title", "year"), (TITLE_ASC, YEAR_ASC)),
            (("similarity",), (SIMILARITY_DESC,)),
            (("SIMILARITY:asc",), (SIMILARITY_ASC,)),
            (("similarity:desc", "year:desc", "title"), (SIMILARITY_DESC, YEAR_DESC, TITLE_ASC)),
            (("", "year"), (YEAR_ASC,)),
        ],
    )
    def test_sort_parsing(self, specs: tuple[str, ...], expected: tuple[SortOrder, ...]) -> None:
        query = book_list_query(BookListParams(q="dune", sort=specs))
        assert query.filter.sort == expected

    @pytest.mark.parametrize(
        "specs",
        [
            ("id",),
            ("author",),
            ("title:up",),
            ("title:asc:desc",),
            ("title asc",),
            ("title", "title"),
            ("title:asc", "TITLE:desc"),
            ("year", "title", "Year:desc"),
            ("similarity", "similarity:asc"),
        ],
    )
    def test_bad_sorts_are_422_on_sort(self, specs: tuple[str, ...]) -> None:
        assert _invalid(BookListParams(q="dune", sort=specs)) == ["sort"]

    def test_similarity_without_q_is_an_invalid_query(self) -> None:
        with pytest.raises(InvalidQuery) as caught:
            book_list_query(BookListParams(sort=("year", "similarity")))
        assert caught.value.field == "sort"

    def test_similarity_with_blank_q_is_an_invalid_query(self) -> None:
        with pytest.raises(InvalidQuery):
            book_list_query(BookListParams(q="  ", sort=("similarity",)))


class TestParameterValues:
    @pytest.mark.parametrize(
        ("params", "field"),
        [
            (BookListParams(q="x" * 501), "q"),
            (BookListParams(q="du\x00ne"), "q"),
            (BookListParams(title="t" * 501), "title"),
            (BookListParams(title="a\x00"), "title"),
            (BookListParams(isbn="12345"), "isbn"),
            (BookListParams(isbn="978-0-441-17271-9-9"), "isbn"),
            (BookListParams(author_id="0"), "author_id"),
            (BookListParams(author_id="-1"), "author_id"),
            (BookListParams(author_id=str(MAX_ID + 1)), "author_id"),
            (BookListParams(author_id="abc"), "author_id"),
            (BookListParams(author_id="1.0"), "author_id"),
            (BookListParams(author_id="+1"), "author_id"),
            (BookListParams(author_id=" 1"), "author_id"),
            (BookListParams(author_id="1\n"), "author_id"),
            (BookListParams(author_id="\u0661"), "author_id"),  # Arabic-Indic one
            (BookListParams(author_id="1_000"), "author_id"),
            (BookListParams(before="19x5"), "before"),
            (BookListParams(before=str(MAX_ID + 1)), "before"),
            (BookListParams(after="1e3"), "after"),
            (BookListParams(after=str(-MAX_ID - 1)), "after"),
            (BookListParams(limit="0"), "limit"),
            (BookListParams(limit="101"), "limit"),
            (BookListParams(limit="-1"), "limit"),
            (BookListParams(limit="ten"), "limit"),
            (BookListParams(offset="-1"), "offset"),
            (BookListParams(offset=str(MAX_ID + 1)), "offset"),
            (BookListParams(offset="0.5"), "offset"),
        ],
    )
    def test_a_bad_value_names_its_parameter(self, params: BookListParams, field: str) -> None:
        assert _invalid(params) == [field]

    @pytest.mark.parametrize(
        ("params", "expected"),
        [
            (BookListParams(limit="1"), 1),
            (BookListParams(limit="100"), 100),
            (BookListParams(limit="007"), 7),
        ],
    )
    def test_limit_bounds(self, params: BookListParams, expected: int) -> None:
        assert book_list_query(params).limit == expected

    def test_extreme_but_valid_values(self) -> None:
        query = book_list_query(
            BookListParams(
                q="x" * 500, author_id=str(MAX_ID), before=str(-MAX_ID), after=str(MAX_ID)
            )
        )
        assert query.filter.author_id == MAX_ID
        assert (query.filter.before, query.filter.after) == (-MAX_ID, MAX_ID)

    def test_every_bad_parameter_is_listed(self) -> None:
        params = BookListParams(
            q="\x00",
            title="x" * 501,
            isbn="nope",
            author_id="0",
            before="soon",
            after="later",
            limit="1000",
            offset="-3",
            sort=("colour",),
        )
        assert _invalid(params) == [
            "q",
            "title",
            "isbn",
            "author_id",
            "before",
            "after",
            "limit",
            "offset",
            "sort",
        ]

    @pytest.mark.parametrize("field", ["limit", "offset", "author_id", "before", "after"])
    def test_a_huge_number_is_422_not_a_crash(self, field: str) -> None:
        assert _invalid(BookListParams(**{field: "1" * 5000})) == [field]  # type: ignore[arg-type]

    @pytest.mark.parametrize("field", ["limit", "offset", "author_id", "before", "after"])
    def test_a_long_but_parseable_number_is_422(self, field: str) -> None:
        assert _invalid(BookListParams(**{field: "9" * 4300})) == [field]  # type: ignore[arg-type]


class TestCombinations:
    def test_cursor_with_an_offset_is_an_invalid_query(self) -> None:
        with pytest.raises(InvalidQuery) as caught:
            book_list_query(BookListParams(cursor="anything", offset="5"))
        assert caught.value.field == "cursor"

    def test_cursor_with_offset_zero_is_still_an_invalid_query(self) -> None:
        with pytest.raises(InvalidQuery):
            book_list_query(BookListParams(cursor="anything", offset="0"))

    def test_cursor_with_an_empty_offset_is_fine(self) -> None:
        cursor = encode_cursor(BookFilter(), BookPosition((), 5))
        query = book_list_query(BookListParams(cursor=cursor, offset=""))
        assert query.after == BookPosition((), 5)
        assert query.offset == 0

    def test_a_garbage_cursor_is_an_invalid_query(self) -> None:
        with pytest.raises(InvalidQuery):
            book_list_query(BookListParams(cursor="not a cursor"))

    def test_a_cursor_is_decoded_against_the_normalised_query(self) -> None:
        issued_for = BookFilter(q="dune", title="dune", sort=(SIMILARITY_DESC,))
        cursor = encode_cursor(issued_for, BookPosition((0.5,), 9))
        # The same query written differently: spaces, case, default sort spelled out.
        params = BookListParams(q=" dune ", title="DUNE ", sort=("Similarity:DESC",), cursor=cursor)
        query = book_list_query(params)
        assert query.after == BookPosition((0.5,), 9)
        assert query.limit == 20

    def test_a_cursor_for_another_sort_is_an_invalid_query(self) -> None:
        cursor = encode_cursor(BookFilter(sort=(YEAR_ASC,)), BookPosition((1965,), 9))
        with pytest.raises(InvalidQuery):
            book_list_query(BookListParams(sort=("year:desc",), cursor=cursor))

    def test_limit_may_change_between_pages(self) -> None:
        cursor = encode_cursor(BookFilter(sort=(YEAR_ASC,)), BookPosition((None,), 9))
        query = book_list_query(BookListParams(sort=("year",), cursor=cursor, limit="3"))
        assert (query.after, query.limit) == (BookPosition((None,), 9), 3)

    def test_422_comes_before_the_cursor_offset_conflict(self) -> None:
        assert _invalid(BookListParams(cursor="x", offset="-1")) == ["offset"]

    def test_422_comes_before_similarity_without_q(self) -> None:
        assert _invalid(BookListParams(sort=("similarity",), limit="0")) == ["limit"]

    def test_422_comes_before_a_bad_cursor(self) -> None:
        assert _invalid(BookListParams(cursor="garbage", isbn="123")) == ["isbn"]

    def test_cursor_with_offset_comes_before_similarity_without_q(self) -> None:
        with pytest.raises(InvalidQuery) as caught:
            book_list_query(BookListParams(sort=("similarity",), cursor="x", offset="0"))
        assert caught.value.field == "cursor"


class TestAuthorFilter:
    def test_defaults(self) -> None:
        assert author_filter(AuthorListParams()) == AuthorFilter(limit=20, offset=0)

    def test_empty_counts_as_absent(self) -> None:
        params = AuthorListParams(q="", name=" ", email="", limit="", offset="")
        assert author_filter(params) == AuthorFilter()

    def test_values_are_trimmed_and_parsed(self) -> None:
        params = AuthorListParams(
            q=" gaiman ",
            name=" Neil Gaiman ",
            email=" neil@sandman.example ",
            limit="5",
            offset="10",
        )
        assert author_filter(params) == AuthorFilter(
            q="gaiman", name="Neil Gaiman", email="neil@sandman.example", limit=5, offset=10
        )

    def test_offset_zero_and_limit_bounds(self) -> None:
        assert author_filter(AuthorListParams(limit="1", offset="0")) == AuthorFilter(limit=1)
        assert author_filter(AuthorListParams(limit="100")).limit == 100

    def test_every_bad_parameter_is_listed(self) -> None:
        params = AuthorListParams(q="a\x00", name="n" * 501, email="e\x00", limit="0", offset="-1")
        with pytest.raises(ValidationFailed) as caught:
            author_filter(params)
        assert _fields(caught.value) == ["q", "name", "email", "limit", "offset"]

    @pytest.mark.parametrize(
        ("params", "field"),
        [
            (AuthorListParams(limit="101"), "limit"),
            (AuthorListParams(limit="x"), "limit"),
            (AuthorListParams(offset="1.5"), "offset"),
            (AuthorListParams(q="q" * 501), "q"),
        ],
    )
    def test_a_bad_value_names_its_parameter(self, params: AuthorListParams, field: str) -> None:
        with pytest.raises(ValidationFailed) as caught:
            author_filter(params)
        assert _fields(caught.value) == [field]

    def test_a_huge_number_is_422_not_a_crash(self) -> None:
        with pytest.raises(ValidationFailed):
            author_filter(AuthorListParams(offset="1" * 5000))


PARAMETER = st.none() | st.text(max_size=12) | st.text(alphabet="-0123456789 :,", max_size=25)


@given(
    params=st.builds(
        BookListParams,
        q=PARAMETER,
        title=PARAMETER,
        isbn=PARAMETER,
        author_id=PARAMETER,
        before=PARAMETER,
        after=PARAMETER,
        limit=PARAMETER,
        offset=PARAMETER,
        cursor=PARAMETER,
        sort=st.lists(
            st.sampled_from(["title", "YEAR:desc", "similarity", "x", "", "title:up"]) | st.text(),
            max_size=3,
        ).map(tuple),
    )
)
def test_any_book_list_parameters_give_a_query_or_a_client_error(params: BookListParams) -> None:
    try:
        query = book_list_query(params)
    except (ValidationFailed, InvalidQuery):
        return
    assert 1 <= query.limit <= 100
    assert query.offset >= 0


@given(
    params=st.builds(
        AuthorListParams,
        q=PARAMETER,
        name=PARAMETER,
        email=PARAMETER,
        limit=PARAMETER,
        offset=PARAMETER,
    )
)
def test_any_author_list_parameters_give_a_filter_or_a_422(params: AuthorListParams) -> None:
    try:
        query = author_filter(params)
    except ValidationFailed:
        return
    assert 1 <= query.limit <= 100
    assert query.offset >= 0
