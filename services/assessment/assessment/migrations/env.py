from alembic import context

from assessment.adapters.tables import metadata
from shared.platform.alembic_env import run_migrations

run_migrations(context, metadata)
