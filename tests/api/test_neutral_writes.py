"""Writes that change nothing a kept answer shows (sql/snapshots.py): the share page's
view counts. Two snapshots that differ only by such transactions see the same data, so
a share page view does not renew every kept answer; any other write still does."""

from __future__ import annotations

import pytest

from milestones.extensions import db
from milestones.models import ShareLink
from milestones.sql import snapshots
from milestones.sql.snapshots import NeutralXids, Snapshot
from tests.api.test_response_cache import _alpha, _served, cache  # noqa: F401


def test_the_transactions_two_snapshots_may_disagree_on():
    old, new = Snapshot.parse("100:105:101,103"), Snapshot.parse("102:108:106")
    assert old is not None and new is not None
    # new may see 101, 103 (running in old), 105 and 107 (after old's xmax, not running)
    assert sorted(old.may_not_see(new)) == [101, 103, 105, 107]
    # old sees nothing new cannot: 106 is running in new, but old never saw it either
    assert new.may_not_see(old) == []
    assert Snapshot.parse("not a snapshot") is None


def test_same_data_needs_every_disagreement_neutral(app, tmp_path):
    ring = NeutralXids(str(tmp_path / "neutral.xids"))
    with app.app_context():
        app.extensions[snapshots.EXTENSION], kept = ring, app.extensions.get(snapshots.EXTENSION)
        try:
            assert snapshots.same_data("100:105:", "100:105:")
            assert not snapshots.same_data("100:105:", "100:107:")
            ring.add(105)
            assert not snapshots.same_data("100:105:", "100:107:")  # 106 is unknown
            ring.add(106)
            assert snapshots.same_data("100:105:", "100:107:")
            assert snapshots.same_data("100:107:", "100:105:")  # either way round
            assert not snapshots.same_data("100:105:", "100:108:")
            assert not snapshots.same_data("100:105:", f"100:{105 + snapshots.SLOTS + 1}:")
        finally:
            app.extensions[snapshots.EXTENSION] = kept


def test_the_ring_keeps_the_last_ids_for_every_process(tmp_path):
    path = str(tmp_path / "neutral.xids")
    one, other = NeutralXids(path), NeutralXids(path)
    for xid in range(1, snapshots.SLOTS + 3):
        one.add(xid)
    known = other.known()
    assert 1 not in known and 2 not in known  # overwritten by the newest
    assert {3, snapshots.SLOTS + 2} <= known and len(known) == snapshots.SLOTS


def _viewed_again(link_id: int) -> None:
    """The link's last view a minute ago: the next view writes its count."""
    link = db.session.get(ShareLink, link_id)
    assert link is not None
    link.last_viewed_at = None
    db.session.commit()


@pytest.mark.postgres
def test_a_share_page_view_keeps_the_kept_answers(
    factory,
    client_for,
    anon,
    cache,  # noqa: F811 (test_response_cache's fixture)
):
    _, company, client = _alpha(factory, client_for)
    made = client.post(f"/api/v1/companies/{company.id}/share-links", json={"label": "Board"})
    assert made.status_code == 201, made.get_json()
    link_id, token = made.get_json()["id"], made.get_json()["token"]
    path = "/api/v1/portfolio"
    # Other test processes write to their own databases in the same cluster: their
    # transactions are not neutral and renew the answers. Try until none came between.
    for _ in range(30):
        _viewed_again(link_id)
        before = db.session.get(ShareLink, link_id).view_count  # type: ignore[union-attr]
        db.session.rollback()
        _served(client, path, cache)
        hits = cache.hits
        assert anon.get(f"/shared/{token}").status_code == 200
        after = db.session.get(ShareLink, link_id).view_count  # type: ignore[union-attr]
        db.session.rollback()
        assert after > before  # the view was written
        answer = client.get(path)
        assert answer.status_code == 200
        if cache.hits == hits + 1:
            assert [row["name"] for row in answer.get_json()] == ["Alpha"]
            return
    pytest.fail("a share page view renewed the kept answers every time")


@pytest.mark.postgres
def test_any_other_write_still_renews_them(
    factory,
    client_for,
    cache,  # noqa: F811 (test_response_cache's fixture)
):
    _, company, client = _alpha(factory, client_for)
    path = "/api/v1/portfolio"
    _served(client, path, cache)
    company.name = "Renamed"
    db.session.commit()
    hits = cache.hits
    assert [row["name"] for row in client.get(path).get_json()] == ["Renamed"]
    assert cache.hits == hits
