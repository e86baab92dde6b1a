"""Query and body schemas are built once, not on every request."""

from __future__ import annotations

from typing import Any

import marshmallow as ma


def test_argument_schemas_are_not_built_per_request(factory, client_for, monkeypatch) -> None:
    admin = factory.admin()
    company = factory.company()
    client = client_for(admin)
    url = f"/companies/{company.id}/tasks?status=open&page=1&page_size=5"
    assert client.get(url).status_code == 200  # the first request may build them
    built: list[str] = []
    init = ma.Schema.__init__

    def counting(self: ma.Schema, *args: Any, **kwargs: Any) -> None:
        built.append(type(self).__name__)
        init(self, *args, **kwargs)

    monkeypatch.setattr(ma.Schema, "__init__", counting)
    again = client.get(url)
    assert again.status_code == 200
    assert again.get_json() == []
    assert "TaskQuerySchema" not in built
    assert "PaginationParametersSchema" not in built


def test_unknown_query_parameters_are_refused_by_name(factory, client_for) -> None:
    """A query parameter the operation does not document is a 422 naming it, as an unknown
    body field is; the documented ones (the query schema's and pagination's) still pass."""
    admin = factory.admin()
    company = factory.company()
    client = client_for(admin)
    cases = {
        f"/companies/{company.id}/tasks?status=open&page=1&page_size=5&colour=red": ["colour"],
        "/portfolio?sort=name&page=2&pagesize=5": ["pagesize"],  # a typo is not ignored
        "/reviews/pending?page=1&q=x": ["q"],  # pagination only
        "/auth/me?debug=1&x=": ["debug", "x"],  # no query at all
        "/exports/portfolio.csv?page=1": ["page"],  # exports are not paginated
    }
    for url, names in cases.items():
        response = client.get(url)
        assert response.status_code == 422, (url, response.get_json())
        body = response.get_json()
        assert body["code"] == "validation_error"
        assert body["errors"] == {"query": {name: ["Unknown field."] for name in names}}, url
    for url in (
        f"/companies/{company.id}/tasks?status=open&page=1&page_size=5",
        "/portfolio?sort=name&page=2&page_size=5&q=&attention=true",
        "/reviews/pending?page=1",
        "/auth/me",
        "/exports/portfolio.csv?sort=name",
    ):
        assert client.get(url).status_code == 200, url
    assert client_for(factory.member()).get("/portfolio?bogus=1").status_code == 422
