"""partial indexes for the review queue (pending items, oldest first)

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_tasks_review_queue",
        "tasks",
        ["submitted_at", "id"],
        postgresql_where=sa.text("status = 'submitted'"),
        sqlite_where=sa.text("status = 'submitted'"),
    )
    op.create_index(
        "ix_progress_updates_review_queue",
        "progress_updates",
        ["created_at", "id"],
        postgresql_where=sa.text("status = 'pending'"),
        sqlite_where=sa.text("status = 'pending'"),
    )


def downgrade():
    op.drop_index("ix_progress_updates_review_queue", table_name="progress_updates")
    op.drop_index("ix_tasks_review_queue", table_name="tasks")
