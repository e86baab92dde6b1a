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
