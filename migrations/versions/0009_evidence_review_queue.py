"""partial index for the review queue's proposed evidence (oldest first)

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_PROPOSED = "review_status = 'proposed' AND removed_at IS NULL"


def upgrade():
    op.create_index(
        "ix_evidence_review_queue",
        "evidence",
        ["created_at", "id"],
        postgresql_where=sa.text(_PROPOSED),
        sqlite_where=sa.text(_PROPOSED),
    )


def downgrade():
    op.drop_index("ix_evidence_review_queue", table_name="evidence")
