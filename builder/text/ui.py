"""Page tables are listed here; each page keeps its strings in its own module."""
TABLES: list[dict[str, dict[str, str]]] = []
