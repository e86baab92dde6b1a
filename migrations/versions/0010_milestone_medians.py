"""milestone_medians: the programme's median days per milestone, kept ready for attention

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

MILESTONES = ("value_baseline", "first_customer", "x_customers", "ten_x_customers", "one_m_arr")


def upgrade():
    op.create_table(
        "milestone_medians",
        sa.Column(
            "milestone",
            sa.Enum(
                *MILESTONES,
                name="milestone_key",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("median_days", sa.Double(), nullable=True),
        sa.Column("achievers", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("milestone", name=op.f("pk_milestone_medians")),
    )
    # The rows for the statuses already there are written by 0013, which adds the rest of
    # the row (the app's recomputation writes every column of today's table).


def downgrade():
    op.drop_table("milestone_medians")
