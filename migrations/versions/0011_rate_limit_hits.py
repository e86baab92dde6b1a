"""rate_limit_hits: Flask-Limiter's counters in the database (replaces login_attempts)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 06:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'rate_limit_hits',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('key', sa.Text(), nullable=False),
        sa.Column('at', sa.Double(), nullable=False),
        sa.Column('expires_at', sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_rate_limit_hits')),
    )
    op.create_index('ix_rate_limit_hits_key_at', 'rate_limit_hits', ['key', 'at'])
    op.create_index('ix_rate_limit_hits_expires_at', 'rate_limit_hits', ['expires_at'])
    # Failed sign-ins still in their window are not carried over: at worst an address gets
    # its LOGIN_MAX_FAILURES attempts once more after the upgrade.
    op.drop_index('ix_login_attempts_email_created', table_name='login_attempts')
    op.drop_table('login_attempts')


def downgrade():
    op.create_table(
        'login_attempts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_login_attempts')),
    )
    op.create_index(
        'ix_login_attempts_email_created', 'login_attempts', ['email', 'created_at']
    )
    op.drop_index('ix_rate_limit_hits_expires_at', table_name='rate_limit_hits')
    op.drop_index('ix_rate_limit_hits_key_at', table_name='rate_limit_hits')
    op.drop_table('rate_limit_hits')
