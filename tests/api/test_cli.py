"""The `milestones` console script."""

import sqlalchemy as sa

from milestones.extensions import db
from milestones.models import Company, CompanyStats, MilestoneStatus, Role, User
from milestones.seeds.demo import PASSWORD as DEMO_PASSWORD


def test_users_create_reads_the_password_from_stdin(app, anon):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "First.Admin@Example.test",
            "--name",
            "First Admin",
            "--role",
            "admin",
            "--password-stdin",
        ],
        input="a-very-long-password\n",
    )
    assert result.exit_code == 0, result.output
    assert "a-very-long-password" not in result.output
    assert "Created admin first.admin@example.test" in result.output
    user = db.session.scalar(sa.select(User).where(User.email == "first.admin@example.test"))
    assert user.role == Role.ADMIN
    assert anon.login("first.admin@example.test", "a-very-long-password").status_code == 200


def test_users_create_attaches_to_a_company_and_refuses_bad_input(app, factory):
    company = factory.company("Acme")
    runner = app.test_cli_runner()
    args = ["users", "create", "--name", "Coach", "--role", "coach", "--company", "Acme"]
    ok = runner.invoke(
        args=[*args, "--email", "c@example.test", "--password-stdin"], input="long-enough-pw\n"
    )
    assert ok.exit_code == 0, ok.output
    db.session.refresh(company)
    assert [c.email for c in company.coaches] == ["c@example.test"]
    short = runner.invoke(
        args=[*args, "--email", "d@example.test", "--password-stdin"], input="short\n"
    )
    assert short.exit_code != 0
    assert "password" in short.output
    dup = runner.invoke(
        args=[*args, "--email", "c@example.test", "--password-stdin"], input="long-enough-pw\n"
    )
    assert dup.exit_code != 0
    assert "already exists" in dup.output
    nowhere = runner.invoke(
        args=[
            "users",
            "create",
            "--name",
            "M",
            "--role",
            "member",
            "--company",
            "Nope",
            "--email",
            "m@example.test",
            "--password-stdin",
        ],
        input="long-enough-pw\n",
    )
    assert nowhere.exit_code != 0
    assert "No company named 'Nope'" in nowhere.output
    assert db.session.scalar(sa.select(User.id).where(User.email == "m@example.test")) is None


def test_users_create_prompts_without_echo(app):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["users", "create", "--email", "p@example.test", "--name", "P", "--role", "coach"],
        input="prompted-password\nprompted-password\n",
    )
    assert result.exit_code == 0, result.output
    assert "prompted-password" not in result.output


def test_seed_demo_prints_logins_and_is_idempotent(app, anon):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed", "demo"])
    assert first.exit_code == 0, first.output
    for email in (
        "admin@demo.test", "coach@demo.test", "coach2@demo.test", "founder@demo.test",
        "member@demo.test",
    ):  # fmt: skip
        assert email in first.output
    assert DEMO_PASSWORD in first.output
    companies = db.session.scalar(sa.select(sa.func.count()).select_from(Company))
    assert companies >= 4
    second = runner.invoke(args=["seed", "demo"])
    assert second.exit_code == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Company)) == companies
    # Companies sit at different milestones, each achieved one in order with evidence.
    achieved = db.session.execute(
        sa.select(MilestoneStatus.company_id, sa.func.count())
        .where(MilestoneStatus.achieved.is_(True))
        .group_by(MilestoneStatus.company_id)
    ).all()
    assert len({count for _, count in achieved}) >= 3
    # Each coach sees their own portfolio (Kestrel Drones has both).
    assert anon.login("coach@demo.test", DEMO_PASSWORD).status_code == 200
    assert len(anon.get("/companies").get_json()) == 6
    assert anon.login("coach2@demo.test", DEMO_PASSWORD).status_code == 200
    assert len(anon.get("/companies").get_json()) == 7


def test_stats_rebuild_recomputes_figures_written_around_the_app(app, factory):
    coach = factory.coach()
    company = factory.company("Around", coaches=[coach])
    # A write that bypasses the ORM (and so the bookkeeping): the figures go stale...
    db.session.execute(sa.update(CompanyStats).values(total_tasks=99, achieved_count=4))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["stats", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "Recomputed the figures of 1 companies." in result.output
    db.session.expire_all()
    row = db.session.get(CompanyStats, company.id)
    assert row is not None
    assert (row.total_tasks, row.achieved_count, row.position) == (0, 0, 0)
    assert row.current_milestone == "value_baseline"
