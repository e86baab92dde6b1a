"""programme_counts: companies, pending approvals, history events, kept by triggers

Revision ID: 0015
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

# One statement-level trigger per table and operation, each adding what its statement
# changed (read from the statement's transition tables) to the single row, created by
# the first write that counts. A statement that changes nothing counted leaves the row
# alone (and unlocked). INSERT ... ON CONFLICT DO UPDATE fires both the INSERT and the
# UPDATE trigger, each with its own rows.
_FUNCTIONS = """
CREATE FUNCTION programme_counts_add(companies_delta bigint, pending_delta bigint,
                                     events_delta bigint)
RETURNS void LANGUAGE sql AS $$
    INSERT INTO programme_counts AS c (id, companies, pending_approvals, history_events)
    VALUES (1, companies_delta, pending_delta, events_delta)
    ON CONFLICT (id) DO UPDATE SET
        companies = c.companies + EXCLUDED.companies,
        pending_approvals = c.pending_approvals + EXCLUDED.pending_approvals,
        history_events = c.history_events + EXCLUDED.history_events
$$;

CREATE FUNCTION programme_counts_rows() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    delta bigint;
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT count(*) INTO delta FROM new_rows;
    ELSE
        SELECT -count(*) INTO delta FROM old_rows;
    END IF;
    IF delta = 0 THEN
        RETURN NULL;
    END IF;
    IF TG_TABLE_NAME = 'companies' THEN
        PERFORM programme_counts_add(delta, 0, 0);
    ELSE
        PERFORM programme_counts_add(0, 0, delta);
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION programme_counts_pending() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    added bigint := 0;
    removed bigint := 0;
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        SELECT coalesce(sum(pending_approvals), 0) INTO added FROM new_rows;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        SELECT coalesce(sum(pending_approvals), 0) INTO removed FROM old_rows;
    END IF;
    IF added <> removed THEN
        PERFORM programme_counts_add(0, added - removed, 0);
    END IF;
    RETURN NULL;
END $$;
"""

_TRIGGERS = (
    ("companies", "INSERT", "NEW TABLE AS new_rows", "programme_counts_rows"),
    ("companies", "DELETE", "OLD TABLE AS old_rows", "programme_counts_rows"),
    ("history_events", "INSERT", "NEW TABLE AS new_rows", "programme_counts_rows"),
    ("history_events", "DELETE", "OLD TABLE AS old_rows", "programme_counts_rows"),
    ("company_stats", "INSERT", "NEW TABLE AS new_rows", "programme_counts_pending"),
    (
        "company_stats",
        "UPDATE",
        "OLD TABLE AS old_rows NEW TABLE AS new_rows",
        "programme_counts_pending",
    ),
    ("company_stats", "DELETE", "OLD TABLE AS old_rows", "programme_counts_pending"),
)


def _trigger_name(table, operation):
    return f"tr_{table}_{operation.lower()}_programme_counts"


def upgrade():
    op.create_table(
        "programme_counts",
        sa.Column("id", sa.SmallInteger(), autoincrement=False, nullable=False),
        sa.Column("companies", sa.Integer(), nullable=False),
        sa.Column("pending_approvals", sa.Integer(), nullable=False),
        sa.Column("history_events", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_counts")),
    )
    if op.get_bind().dialect.name != "postgresql":
        return
    # No write to the three tables until the migration's transaction commits, so the rows
    # already there are counted once, by the INSERT below, and every later one by the
    # triggers.
    op.execute("LOCK TABLE companies, company_stats, history_events IN SHARE MODE")
    op.execute(_FUNCTIONS)
    for table, operation, referencing, function in _TRIGGERS:
        op.execute(
            f"CREATE TRIGGER {_trigger_name(table, operation)} AFTER {operation} ON {table}"
            f" REFERENCING {referencing} FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
        )
    op.execute(
        "INSERT INTO programme_counts (id, companies, pending_approvals, history_events)"
        " SELECT 1, (SELECT count(*) FROM companies),"
        " (SELECT coalesce(sum(pending_approvals), 0) FROM company_stats),"
        " (SELECT count(*) FROM history_events)"
    )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for table, operation, _, _ in _TRIGGERS:
            op.execute(f"DROP TRIGGER {_trigger_name(table, operation)} ON {table}")
        op.execute("DROP FUNCTION programme_counts_pending()")
        op.execute("DROP FUNCTION programme_counts_rows()")
        op.execute("DROP FUNCTION programme_counts_add(bigint, bigint, bigint)")
    op.drop_table("programme_counts")
