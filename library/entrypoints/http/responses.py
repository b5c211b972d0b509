"""Writing successful responses: JSON bodies, 201 with Location, 204."""

from __future__ import annotations

import falcon

from library.application.rendered import Rendered, to_json


def ok(resp: falcon.Response, value: object) -> None:
    """Answer 200 with `value`: a rendered read (sent as it is), or a read model (or a list
    of them) to encode."""
    resp.data = value.json if isinstance(value, Rendered) else to_json(value)
    resp.content_type = falcon.MEDIA_JSON


def created(resp: falcon.Response, location: str, value: object) -> None:
    """Answer 201 naming the new resource."""
    ok(resp, value)
    resp.status = falcon.HTTP_201
    resp.set_header("Location", location)


def no_content(resp: falcon.Response) -> None:
    resp.status = falcon.HTTP_204
