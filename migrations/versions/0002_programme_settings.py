"""programme settings: one row of attention thresholds, digest time, criteria rule

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "programme_settings",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("stall_factor", sa.Float(), nullable=False),
        sa.Column("stall_min_days", sa.Integer(), nullable=False),
        sa.Column("stale_review_days", sa.Integer(), nullable=False),
        sa.Column("inactive_days", sa.Integer(), nullable=False),
        sa.Column("digest_weekday", sa.SmallInteger(), nullable=False),
        sa.Column("digest_hour_utc", sa.SmallInteger(), nullable=False),
        sa.Column("require_all_criteria", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("id = 1", name=op.f("ck_programme_settings_single_row")),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["users.id"],
            name=op.f("fk_programme_settings_updated_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_settings")),
    )


def downgrade():
    op.drop_table("programme_settings")
