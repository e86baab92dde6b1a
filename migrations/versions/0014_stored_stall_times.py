"""company_stats.stall_at: when the company stalls, stored with its threshold

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("company_stats") as batch:
        batch.add_column(sa.Column("stall_at", sa.DateTime(timezone=True), nullable=True))
    # The rows already there, by the app's own definition.
    from milestones.reporting.attention import stall_at_of

    stats = sa.table(
        "company_stats",
        sa.column("current_started_at"),
        sa.column("stall_threshold_days"),
        sa.column("stall_at"),
    )
    op.get_bind().execute(
        sa.update(stats).values(
            stall_at=stall_at_of(stats.c.current_started_at, stats.c.stall_threshold_days)
        )
    )


def downgrade():
    with op.batch_alter_table("company_stats") as batch:
        batch.drop_column("stall_at")
