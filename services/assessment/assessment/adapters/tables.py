"""The assessment service's own tables (its Alembic history builds them)."""

from sqlalchemy import MetaData

metadata = MetaData()
