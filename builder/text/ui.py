"""Page tables are listed here; each page keeps its strings in its own module."""
from builder.text import (tools, ui_app, ui_beginner, ui_build, ui_classroom, ui_compare,
                          ui_experiment, ui_imports, ui_inside, ui_layers,
                          ui_screens, ui_train)

TABLES: list[dict[str, dict[str, str]]] = [tools.TEXT, ui_app.TEXT, ui_build.TEXT, ui_train.TEXT,
                                           ui_compare.TEXT, ui_layers.TEXT, ui_beginner.TEXT,
                                           ui_classroom.TEXT, ui_experiment.TEXT, ui_inside.TEXT,
                                           ui_imports.TEXT, ui_screens.TEXT]
