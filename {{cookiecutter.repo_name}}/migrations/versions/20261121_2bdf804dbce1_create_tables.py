"""Create the initial tables.

Revision ID: 2bdf804dbce1
Revises:
Create Date: 2026-11-21 11:56:09.654959

"""

import sqlalchemy as sa
from alembic import op

revision = "2bdf804dbce1"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "service_context",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("maintenance", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("message", sa.String(length=500), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_service_context_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_context")),
    )
    op.create_table(
        "todo",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.String(length=2000), nullable=False),
        sa.Column("completed", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_todo")),
    )
    with op.batch_alter_table("todo", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_todo_title"), ["title"], unique=False)


def downgrade():
    with op.batch_alter_table("todo", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_todo_title"))
    op.drop_table("todo")
    op.drop_table("service_context")
