"""company_stats.oldest_pending_at: since when a review waits (attention on the portfolio)

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("company_stats", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("oldest_pending_at", sa.DateTime(timezone=True), nullable=True)
        )
    # The rows already there: the oldest submitted task or pending update of each company.
    op.execute(
        """
        UPDATE company_stats SET oldest_pending_at = (
            SELECT min(pending.at) FROM (
                SELECT t.submitted_at AS at FROM tasks t
                WHERE t.company_id = company_stats.company_id AND t.status = 'submitted'
                UNION ALL
                SELECT u.created_at AS at FROM progress_updates u
                WHERE u.company_id = company_stats.company_id AND u.status = 'pending'
            ) AS pending
        )
        """
    )


def downgrade():
    with op.batch_alter_table("company_stats", schema=None) as batch_op:
        batch_op.drop_column("oldest_pending_at")
