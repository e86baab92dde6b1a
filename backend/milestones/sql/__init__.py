"""SQL building blocks shared by the services: every PostgreSQL/SQLite difference
(dialect.py) and the end of read-only transactions (session.py)."""
