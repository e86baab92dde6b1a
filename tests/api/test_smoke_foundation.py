def test_healthz(anon):
    r = anon.get("/healthz")
    assert r.status_code == 200
    assert r.get_json() == {"status": "ok", "checks": {"database": "ok"}}


def test_login_and_me(factory, anon):
    coach = factory.coach()
    company = factory.company("Acme", coaches=[coach])
    r = anon.login(coach.email)
    assert r.status_code == 200, r.get_json()
    me = anon.get("/auth/me").get_json()
    assert me["email"] == coach.email
    assert me["company_ids"] == [company.id]
    assert me["csrf_token"] == anon.csrf
