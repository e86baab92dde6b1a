"""members' proposed evidence (review status), metric keys, criterion checks

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 23:20:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

OLD_EVENTS = ("toggled", "evidence_added", "evidence_removed")
NEW_EVENTS = (
    *OLD_EVENTS,
    "evidence_proposed",
    "evidence_accepted",
    "evidence_rejected",
    "criterion_checked",
)
METRIC_KEYS = (
    "paying_customers",
    "mrr_usd",
    "arr_usd",
    "retention_rate_pct",
    "avg_deal_size_usd",
    "cac_usd",
)
MILESTONES = ("value_baseline", "first_customer", "x_customers", "ten_x_customers", "one_m_arr")


def _enum(values, name):
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def _events(values):
    with op.batch_alter_table("history_events") as batch_op:
        batch_op.drop_constraint(op.f("ck_history_events_history_event"), type_="check")
        batch_op.create_check_constraint(
            "history_event", sa.column("event").in_(values)
        )


def upgrade():
    with op.batch_alter_table("evidence") as batch_op:
        batch_op.add_column(sa.Column("metric_key", _enum(METRIC_KEYS, "metric_key"), nullable=True))
        batch_op.add_column(
            sa.Column(
                "review_status",
                _enum(("proposed", "accepted", "rejected"), "review_status"),
                server_default="accepted",
                nullable=False,
            )
        )
        batch_op.add_column(sa.Column("reviewed_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("review_comment", sa.Text(), nullable=True))
        batch_op.create_foreign_key(
            "fk_evidence_reviewed_by_id_users", "users", ["reviewed_by_id"], ["id"]
        )
        batch_op.create_index(
            "ix_evidence_company_metric", ["company_id", "metric_key", "created_at"]
        )
    with op.batch_alter_table("history_events") as batch_op:
        batch_op.add_column(sa.Column("criterion", sa.String(length=64), nullable=True))
    _events(NEW_EVENTS)
    with op.batch_alter_table("company_stats") as batch_op:
        batch_op.add_column(
            sa.Column(
                "suggested_milestone", _enum(MILESTONES, "suggested_milestone"), nullable=True
            )
        )
    op.create_table(
        "criterion_checks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("status_id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("milestone", _enum(MILESTONES, "milestone_key"), nullable=False),
        sa.Column("criterion", sa.String(length=64), nullable=False),
        sa.Column("met", sa.Boolean(), nullable=False),
        sa.Column("met_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("met_by_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "(met AND met_at IS NOT NULL) OR (NOT met AND met_at IS NULL)",
            name=op.f("ck_criterion_checks_met_has_time"),
        ),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
            name=op.f("fk_criterion_checks_company_id_companies"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["met_by_id"], ["users.id"], name=op.f("fk_criterion_checks_met_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["status_id"],
            ["milestone_statuses.id"],
            name=op.f("fk_criterion_checks_status_id_milestone_statuses"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["users.id"], name=op.f("fk_criterion_checks_updated_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_criterion_checks")),
        sa.UniqueConstraint("status_id", "criterion", name="uq_criterion_checks_status"),
    )
    with op.batch_alter_table("criterion_checks") as batch_op:
        batch_op.create_index(
            batch_op.f("ix_criterion_checks_company_id"), ["company_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("criterion_checks") as batch_op:
        batch_op.drop_index(batch_op.f("ix_criterion_checks_company_id"))
    op.drop_table("criterion_checks")
    with op.batch_alter_table("company_stats") as batch_op:
        batch_op.drop_constraint(op.f("ck_company_stats_suggested_milestone"), type_="check")
        batch_op.drop_column("suggested_milestone")
    op.execute(
        sa.text("DELETE FROM history_events WHERE event NOT IN :old").bindparams(
            sa.bindparam("old", OLD_EVENTS, expanding=True)
        )
    )
    _events(OLD_EVENTS)
    with op.batch_alter_table("history_events") as batch_op:
        batch_op.drop_column("criterion")
    with op.batch_alter_table("evidence") as batch_op:
        batch_op.drop_index("ix_evidence_company_metric")
        batch_op.drop_constraint("fk_evidence_reviewed_by_id_users", type_="foreignkey")
        batch_op.drop_constraint(op.f("ck_evidence_review_status"), type_="check")
        batch_op.drop_constraint(op.f("ck_evidence_metric_key"), type_="check")
        batch_op.drop_column("review_comment")
        batch_op.drop_column("reviewed_at")
        batch_op.drop_column("reviewed_by_id")
        batch_op.drop_column("review_status")
        batch_op.drop_column("metric_key")
