"""Search backends: ``database`` (default; SQLite FTS5 / PostgreSQL tsvector over our own index
table) and ``elasticsearch`` (mirrors the same entries; the database answers when it is down)."""
