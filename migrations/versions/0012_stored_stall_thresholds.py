"""company_stats: the stall threshold and the lower-cased name, stored for attention

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("company_stats") as batch:
        batch.add_column(sa.Column("sort_name", sa.String(200), nullable=True))
        batch.add_column(sa.Column("stall_threshold_days", sa.Integer(), nullable=True))
    # The rows already there, by the app's own definitions.
    from milestones.reporting.attention import threshold_of

    stats = sa.table(
        "company_stats",
        sa.column("company_id"),
        sa.column("current_milestone"),
        sa.column("sort_name"),
        sa.column("stall_threshold_days"),
    )
    companies = sa.table("companies", sa.column("id"), sa.column("name"))
    name = sa.select(sa.func.lower(companies.c.name)).where(companies.c.id == stats.c.company_id)
    op.get_bind().execute(
        sa.update(stats).values(
            sort_name=name.scalar_subquery(),
            stall_threshold_days=threshold_of(stats.c.current_milestone),
        )
    )
    with op.batch_alter_table("company_stats") as batch:
        batch.alter_column("sort_name", existing_type=sa.String(200), nullable=False)


def downgrade():
    with op.batch_alter_table("company_stats") as batch:
        batch.drop_column("stall_threshold_days")
        batch.drop_column("sort_name")
