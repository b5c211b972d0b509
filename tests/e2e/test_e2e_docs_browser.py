"""/docs in a real browser: Swagger UI renders every operation, and "Try it out" on GET /books
gets a 200, with nothing fetched from anywhere but the service (it works offline)."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from library.application.access.api_keys import hash_key, new_key
from library.config.access import api_key_entry
from tests.e2e.browser import chromium_page, chromium_path
from tests.e2e.live_server import Server, serve


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


# Set React-controlled inputs the way a user's typing does (React ignores a bare `.value =`).
_TYPE = """
(selector, text) => {
  const field = document.querySelector(selector);
  const prototype = Object.getPrototypeOf(field);
  Object.getOwnPropertyDescriptor(prototype, 'value').set.call(field, text);
  field.dispatchEvent(new Event('input', {bubbles: true}));
  field.dispatchEvent(new Event('change', {bubbles: true}));
  return true;
}
"""
# Collected before the page's own scripts run: every Content Security Policy violation.
_WATCH_CSP = """
window.__violations = [];
document.addEventListener('securitypolicyviolation',
  e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
"""


@pytest.fixture(scope="module")
def protected_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, str]]:
    """The service with access control on (the default) and one key that may write."""
    key, key_id = new_key()
    env = {
        "LIBRARY_AUTH": "writes",
        "LIBRARY_RATE_LIMIT_READ": "6000/minute",
        "LIBRARY_RATE_LIMIT_WRITE": "600/minute",
        "LIBRARY_API_KEYS": api_key_entry(key_id, hash_key(key), ("catalogue:write",), None),
    }
    with serve(tmp_path_factory.mktemp("protected"), env) as server:
        yield server, key


def _type(page: Any, selector: str, text: str) -> None:
    page.evaluate(f"({_TYPE})({json.dumps(selector)}, {json.dumps(text)})")


def test_swagger_ui_authorizes_with_a_key_and_creates_a_book_under_its_csp(
    protected_server: tuple[Server, str], artifacts: Path, tmp_path: Path
) -> None:
    server, key = protected_server
    chromium_path()
    with chromium_page(tmp_path / "profile", tmp_path / "chromium.log") as page:
        page.send("Page.enable")
        page.send("Page.addScriptToEvaluateOnNewDocument", source=_WATCH_CSP)
        page.send("Page.navigate", url=server.url("/docs"))
        page.wait_for("document.querySelectorAll('.opblock').length > 10")

        page.evaluate("document.querySelector('.btn.authorize').click()")
        page.wait_for("!!document.querySelector('.modal-ux input[type=text]')")
        # The first scheme in the dialog is apiKey (X-API-Key).
        _type(page, ".modal-ux .auth-container input[type=text]", key)
        page.evaluate("document.querySelector('.modal-ux .auth-container .btn.authorize').click()")
        page.wait_for("!!document.querySelector('.modal-ux .btn-done')")
        page.evaluate("document.querySelector('.modal-ux .btn-done').click()")

        block = "#operations-books-postBooks"
        page.evaluate(f"document.querySelector('{block} .opblock-summary-control').click()")
        page.wait_for(f"!!document.querySelector('{block} .try-out__btn')")
        page.evaluate(f"document.querySelector('{block} .try-out__btn').click()")
        page.wait_for(f"!!document.querySelector('{block} textarea.body-param__text')")
        _type(page, f"{block} textarea.body-param__text", '{"title": "Authorized in the browser"}')
        page.evaluate(f"document.querySelector('{block} .execute').click()")
        status = page.wait_for(
            f"document.querySelector('{block} .live-responses-table tbody td.response-col_status')"
            "?.textContent.trim()"
        )
        page.evaluate(f"document.querySelector('{block} .responses-wrapper').scrollIntoView()")
        page.screenshot(artifacts / "docs-authorized-post.png")
        assert status == "201"
        violations = page.evaluate("window.__violations")
    assert violations == []
    with urllib.request.urlopen(server.url("/books?title=Authorized%20in%20the%20browser")) as got:
        assert len(json.load(got)["items"]) == 1
