"""Page tables are listed here; each page keeps its strings in its own module."""
from builder.text import ui_compare

TABLES: list[dict[str, dict[str, str]]] = [ui_compare.TEXT]
