"""The import rules of the layout, read statically from every module's AST (README, "Layout"):

- builder/ never imports Streamlit;
- the model modules (architecture, analysis, layers, code export and import …) import
  nothing of the store or the process machinery (builder.store, builder.execution);
- pages/ and components/ reach the process machinery only through components/services.py;
- TensorFlow, Keras and Ray are imported only inside functions, never at module level.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MODEL_MODULES = ("architecture", "analysis", "arithmetic", "edits", "errors", "limits", "rules",
                 "settings", "templates", "readiness", "datasets", "sources", "codegen",
                 "keras_build", "keras_graph", "keras_json", "keras_code", "layers", "text")
MACHINERY = ("builder.store", "builder.execution")
LAZY = ("tensorflow", "keras", "ray")
SERVICES = Path("components/services.py")


def _modules(*places: str) -> list[Path]:
    """The Python files of folders (and files) under the project root, relative to it."""
    paths = [p for place in places for p in
             ((ROOT / place).rglob("*.py") if (ROOT / place).is_dir() else [ROOT / place])]
    return sorted(p.relative_to(ROOT) for p in paths)


def imports(path: Path, top_level_only: bool = False) -> list[tuple[int, str]]:
    """(line, module) of every import in ``path``; ``from a import b`` gives ``a.b`` too, so
    a submodule imported by name is seen."""
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else ast.walk(tree)
    found: list[tuple[int, str]] = []
    for node in nodes:
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.append((node.lineno, node.module))
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


def _under(module: str, packages: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in packages)


def _is_model(path: Path) -> bool:
    parts = path.with_suffix("").parts
    return parts[0] == "builder" and len(parts) > 1 and parts[1] in MODEL_MODULES


def test_builder_never_imports_streamlit():
    found = [(str(p), line) for p in _modules("builder") for line, m in imports(p)
             if _under(m, ("streamlit",))]
    assert found == []


def test_the_model_modules_import_nothing_of_the_store_or_the_machinery():
    model = [p for p in _modules("builder") if _is_model(p)]
    assert len(model) > 20  # the list above still names real modules
    found = [(str(p), line, m) for p in model for line, m in imports(p) if _under(m, MACHINERY)]
    assert found == []


def test_pages_and_components_reach_the_machinery_only_through_services():
    found = [(str(p), line, m) for p in _modules("pages", "components") if p != SERVICES
             for line, m in imports(p) if _under(m, ("builder.execution",))]
    opened = [str(p) for p in _modules("pages", "components", "app.py") if p != SERVICES
              and "Store.open(" in (ROOT / p).read_text(encoding="utf-8")]
    assert found == [] and opened == []


@pytest.mark.parametrize("folder", ["builder", "components", "pages", "app.py"])
def test_heavy_libraries_are_imported_lazily(folder):
    found = [(str(p), line, m) for p in _modules(folder) for line, m in imports(p, True)
             if _under(m, LAZY)]
    assert found == []


def test_the_rules_see_what_they_forbid(tmp_path):
    """The readers find a lazy import, a submodule named in ``from``, and a model module."""
    probe = tmp_path / "probe.py"
    probe.write_text("from builder import store\ndef f():\n    import keras\n")
    assert (1, "builder.store") in imports(probe)
    assert (3, "keras") in imports(probe) and (3, "keras") not in imports(probe, True)
    assert Path("app.py") in _modules("app.py")
    assert _is_model(Path("builder/layers/core.py")) and not _is_model(Path("builder/trainer.py"))
