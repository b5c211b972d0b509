"""/docs in a real browser: Swagger UI renders every operation, and "Try it out" on GET /books
gets a 200, with nothing fetched from anywhere but the service (it works offline)."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import chromium_page, chromium_path
from live_server import Server, serve


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with serve(tmp_path_factory.mktemp("docs"), args=("--demo",)) as server:
        yield server


def _operation_count(server: Server) -> int:
    with urllib.request.urlopen(server.url("/openapi.json"), timeout=5) as answer:
        document = json.load(answer)
    return sum(len(item) for item in document["paths"].values())


def test_swagger_ui_renders_and_tries_out_get_books(
    demo_server: Server, artifacts: Path, tmp_path: Path
) -> None:
    chromium_path()  # skips early, with its reason, when there is no browser
    with chromium_page(tmp_path / "profile", tmp_path / "chromium.log") as page:
        page.send("Network.enable")
        page.send("Page.enable")
        page.send("Page.navigate", url=demo_server.url("/docs"))

        expected = _operation_count(demo_server)
        rendered = page.wait_for(
            f"document.querySelectorAll('.opblock').length >= {expected}"
            " && document.querySelectorAll('.opblock').length"
        )
        assert rendered == expected
        assert page.evaluate("document.querySelector('.title')?.textContent").startswith("library")

        block = "#operations-books-getBooks"
        page.evaluate(f"document.querySelector('{block} .opblock-summary-control').click()")
        page.wait_for(f"!!document.querySelector('{block} .try-out__btn')")
        page.evaluate(f"document.querySelector('{block} .try-out__btn').click()")
        page.wait_for(f"!!document.querySelector('{block} .execute')")
        page.evaluate(f"document.querySelector('{block} .execute').click()")
        status = page.wait_for(
            f"document.querySelector('{block} .live-responses-table tbody td.response-col_status')"
            "?.textContent.trim()"
        )
        assert status == "200"
        body = page.wait_for(
            f"document.querySelector('{block} .live-responses-table .microlight')?.textContent"
        )
        assert '"items"' in body
        assert '"next_cursor"' in body

        page.evaluate(f"document.querySelector('{block} .responses-wrapper').scrollIntoView()")
        page.screenshot(artifacts / "docs-try-it-out.png")

        requested = page.requested_urls()
    assert demo_server.url("/books?limit=20") in requested
    foreign = [
        url
        for url in requested
        if not url.startswith((demo_server.base_url, "data:", "blob:", "about:"))
    ]
    assert not foreign, f"the page fetched from elsewhere: {foreign}"
