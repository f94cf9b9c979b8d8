"""The full-text part of the index, per database vendor.

SQLite: an external-content FTS5 table over search entries' lemmatised title and text, kept in
sync by triggers. PostgreSQL: a generated tsvector column (Norwegian configuration for nb/nn,
English for en, over our lemmatised text) with a GIN index.
"""

from django.db import migrations

SQLITE_FORWARD = [
    """
    CREATE VIRTUAL TABLE portal_search_fts USING fts5(
        title_lemmas, lemmas,
        content='portal_search_searchentry', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0'
    )
    """,
    """
    CREATE TRIGGER portal_search_fts_ai AFTER INSERT ON portal_search_searchentry BEGIN
        INSERT INTO portal_search_fts(rowid, title_lemmas, lemmas) VALUES (new.id, new.title_lemmas, new.lemmas);
    END
    """,
    """
    CREATE TRIGGER portal_search_fts_ad AFTER DELETE ON portal_search_searchentry BEGIN
        INSERT INTO portal_search_fts(portal_search_fts, rowid, title_lemmas, lemmas)
        VALUES ('delete', old.id, old.title_lemmas, old.lemmas);
    END
    """,
    """
    CREATE TRIGGER portal_search_fts_au AFTER UPDATE ON portal_search_searchentry BEGIN
        INSERT INTO portal_search_fts(portal_search_fts, rowid, title_lemmas, lemmas)
        VALUES ('delete', old.id, old.title_lemmas, old.lemmas);
        INSERT INTO portal_search_fts(rowid, title_lemmas, lemmas) VALUES (new.id, new.title_lemmas, new.lemmas);
    END
    """,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS portal_search_fts_au",
    "DROP TRIGGER IF EXISTS portal_search_fts_ad",
    "DROP TRIGGER IF EXISTS portal_search_fts_ai",
    "DROP TABLE IF EXISTS portal_search_fts",
]

POSTGRES_FORWARD = [
    """
    ALTER TABLE portal_search_searchentry ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        CASE WHEN language = 'en' THEN
            setweight(to_tsvector('english'::regconfig, coalesce(title_lemmas, '')), 'A')
            || setweight(to_tsvector('english'::regconfig, coalesce(lemmas, '')), 'B')
        ELSE
            setweight(to_tsvector('norwegian'::regconfig, coalesce(title_lemmas, '')), 'A')
            || setweight(to_tsvector('norwegian'::regconfig, coalesce(lemmas, '')), 'B')
        END
    ) STORED
    """,
    "CREATE INDEX portal_search_vector_gin ON portal_search_searchentry USING GIN (search_vector)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS portal_search_vector_gin",
    "ALTER TABLE portal_search_searchentry DROP COLUMN IF EXISTS search_vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("portal_search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
