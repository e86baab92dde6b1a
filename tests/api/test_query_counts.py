"""Every read endpoint runs a fixed number of SQL statements, whatever the data size:
counted with a `before_cursor_execute` listener on bench data for 3 and for 30 companies
(with more tasks per company in the larger set)."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy import event

from milestones.extensions import db
from milestones.models import ShareLink, User
from milestones.seeds.bench import seed_bench
from milestones.sharing import tokens as share_tokens
from tests.conftest import PASSWORD, ApiClient, empty_tables

ENDPOINTS = [
    ("admin", "/portfolio"),
    ("admin", "/portfolio?sort=-pending_approvals&page_size=10"),
    ("admin", "/portfolio?sort=-last_activity&q=bench&milestone=value_baseline"),
    ("coach", "/portfolio?sort=current_milestone&page=2&page_size=2"),
    ("coach", "/portfolio?attention=true"),
    ("admin", "/portfolio?attention=true&sort=attention&page_size=10"),
    ("admin", "/portfolio?sort=attention&page=99&page_size=2"),
    ("coach", "/reviews/pending"),
    ("admin", "/reviews/pending?page_size=10"),
    ("admin", "/analytics/milestones"),
    ("coach", "/analytics/milestones"),
    ("member", "/companies/{id}/metrics"),
    ("coach", "/companies/{id}/metrics"),
    ("member", "/companies/{id}/milestones"),
    ("admin", "/companies/{id}/milestones"),
    ("coach", "/companies/{id}/tasks?status=open"),
    ("member", "/companies/{id}/updates"),
    ("member", "/companies/{id}/metric-series"),
    ("coach", "/companies/{id}/evidence-proposals?review_status=proposed"),
    ("member", "/companies/{id}/milestones/first_customer/evidence"),
    ("anonymous", "/shared/{token}"),
]


@contextmanager
def counting() -> Iterator[list[str]]:
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    # The statements production runs: the render check (on in tests) reads the data again.
    checking = current_app.config["RENDER_CHECK"]
    current_app.config["RENDER_CHECK"] = False
    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
        current_app.config["RENDER_CHECK"] = checking


def measure(client_for: Any, companies: int, tasks: int) -> dict[tuple[str, str], int]:
    result = seed_bench(companies, tasks, seed=companies, password=PASSWORD)
    clients = {
        role: client_for(db.session.scalar(sa.select(User).where(User.email == email)))
        for role, email in result.logins.items()
    }
    company_id = result.company_ids[0]  # the member's company, followed by coach0
    clients["anonymous"] = ApiClient(current_app.test_client())
    token = _share_link(company_id)
    counts = {}
    for role, path in ENDPOINTS:
        with counting() as statements:
            response = clients[role].get(path.format(id=company_id, token=token))
        assert response.status_code == 200, (role, path, response.get_json())
        counts[(role, path)] = len(statements)
    return counts


def _share_link(company_id: int) -> str:
    token = secrets.token_urlsafe(32)
    db.session.add(ShareLink(company_id=company_id, token_hash=share_tokens.token_hash(token)))
    db.session.commit()
    return token


def test_statement_counts_do_not_grow_with_the_data(app, client_for):
    small = measure(client_for, 3, 4)
    db.session.remove()
    empty_tables()
    large = measure(client_for, 30, 12)
    assert large == small, (small, large)
    # And they stay small: session user, policy checks, then the figures themselves.
    assert max(small.values()) <= 8, small
    # A portfolio page is one statement, whatever the filter or sort: the settings the
    # attention cut-offs need are read inside it, the medians and thresholds are stored.
    # Past the last page too on PostgreSQL (the total is a subquery of the statement
    # the database writes as JSON); elsewhere such a page counts its total apart. On
    # PostgreSQL a computed answer of a view the response cache keeps also reads when the
    # clock next changes it (reporting/boundaries.py): one statement more.
    kept = 1 if db.engine.dialect.name == "postgresql" else 0
    portfolio = {key: n for key, n in small.items() if key[1].startswith("/portfolio")}
    past = {key: portfolio.pop(key) for key in list(portfolio) if "page=99" in key[1]}
    assert set(portfolio.values()) == {1 + kept}, portfolio
    assert set(past.values()) == {2}, past
    # The review queue is one statement on PostgreSQL (the total a subquery of the page
    # the database writes as JSON); two elsewhere (the total, then the page).
    reviews = {key: n for key, n in small.items() if key[1].startswith("/reviews")}
    assert set(reviews.values()) == {2}, reviews
