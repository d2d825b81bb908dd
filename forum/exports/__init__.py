"""A dialogue's report, to read, print and hand on: as a page, Markdown, JSON and CSV tables."""
