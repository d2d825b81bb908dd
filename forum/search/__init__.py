"""Search: posts, summaries and topic framings, each stemmed in its own language, found by
`search()` (services.py) on PostgreSQL (postgres.py) or SQLite (sqlite.py); the index follows
the acts (indexing.py)."""
