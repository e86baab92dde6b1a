"""notification preferences on users; digest_sends (one digest per recipient per ISO week)

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("milestone_mail", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
        batch_op.add_column(
            sa.Column("weekly_digest", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
    op.create_table(
        "digest_sends",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=50), nullable=False),
        sa.Column("recipient", sa.String(length=254), nullable=False),
        sa.Column("iso_week", sa.String(length=8), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_digest_sends")),
        sa.UniqueConstraint("kind", "recipient", "iso_week", name="uq_digest_sends_key"),
    )


def downgrade():
    op.drop_table("digest_sends")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("weekly_digest")
        batch_op.drop_column("milestone_mail")
