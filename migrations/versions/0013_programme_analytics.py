"""milestone_medians: the rest of the programme-wide analytics row, kept ready

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("milestone_medians") as batch:
        batch.add_column(sa.Column("started", sa.Integer(), server_default="0", nullable=False))
        batch.add_column(sa.Column("in_progress", sa.Integer(), server_default="0", nullable=False))
        batch.add_column(sa.Column("avg_days", sa.Double(), nullable=True))
        batch.add_column(sa.Column("median_days_any", sa.Double(), nullable=True))
    # The rows for the statuses already there, by the app's own definition (one aggregate),
    # and the stall thresholds that follow from them.
    from milestones.services.company_stats import refresh_medians, refresh_thresholds

    refresh_medians(op.get_bind())
    refresh_thresholds(op.get_bind())


def downgrade():
    with op.batch_alter_table("milestone_medians") as batch:
        for column in ("median_days_any", "avg_days", "in_progress", "started"):
            batch.drop_column(column)
