"""Storage: SQLAlchemy over SQLite (default) or PostgreSQL, migrated with Alembic."""
