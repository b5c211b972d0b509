"""/docs: Swagger UI from files this service serves itself (no internet needed)."""

from __future__ import annotations

import re

import pytest

from tests.http.http_api import Api


def test_the_page_loads_swagger_ui_from_this_service_only(api: Api) -> None:
    result = api.get("/docs")
    assert result.status_code == 200
    assert result.headers["content-type"].startswith("text/html")
    page = result.text
    assert "SwaggerUIBundle" in page
    assert 'url: "/openapi.json"' in page
    assert "validatorUrl: null" in page  # no badge fetched from a public validator
    assert not re.search(r"(https?:)?//[a-z]", page)  # nothing from elsewhere
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources
    for source in sources:
        asset = api.get(source)
        assert asset.status_code == 200, source
        assert len(asset.content) > 0


@pytest.mark.parametrize("path", ["/docs/", "/openapi.json/"])
def test_the_documents_answer_with_a_trailing_slash(api: Api, path: str) -> None:
    assert api.get(path).status_code == 200


def test_a_missing_asset_is_a_404_problem(api: Api) -> None:
    result = api.get("/docs/static/nothing.js")
    assert result.status_code == 404
    assert result.headers["content-type"] == "application/problem+json"


def test_assets_outside_the_folder_cannot_be_reached(api: Api) -> None:
    assert api.get("/docs/static/../__init__.py").status_code == 404
