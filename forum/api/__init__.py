"""The read-only JSON API at /api/v1/: what the pages show everyone, as data."""
