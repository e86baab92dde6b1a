"""cohorts, the cohort of each company, the activity log's index

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 23:20:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


# SQLite's batch mode rebuilds the table from what it can reflect, which leaves out the
# expression index on lower(name): it is dropped before and built again after.
def _drop_name_index():
    op.drop_index('ix_companies_lower_name', table_name='companies')


def _create_name_index():
    op.create_index(
        'ix_companies_lower_name', 'companies', [sa.text('lower(name)'), 'id', 'name'], unique=False
    )


def upgrade():
    op.create_table(
        'cohorts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('starts_on', sa.Date(), nullable=False),
        sa.Column('ends_on', sa.Date(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            'ends_on IS NULL OR ends_on >= starts_on', name=op.f('ck_cohorts_ends_after_start')
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_cohorts')),
        sa.UniqueConstraint('name', name=op.f('uq_cohorts_name')),
    )
    _drop_name_index()
    with op.batch_alter_table('companies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cohort_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_companies_cohort_id'), ['cohort_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_companies_cohort_id_cohorts'),
            'cohorts',
            ['cohort_id'],
            ['id'],
            ondelete='RESTRICT',
        )
    _create_name_index()
    op.create_index('ix_history_events_created', 'history_events', ['created_at', 'id'])


def downgrade():
    op.drop_index('ix_history_events_created', table_name='history_events')
    _drop_name_index()
    with op.batch_alter_table('companies', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_companies_cohort_id_cohorts'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_companies_cohort_id'))
        batch_op.drop_column('cohort_id')
    _create_name_index()
    op.drop_table('cohorts')
