"""Where an architecture comes from: a template name, a LayerLab JSON file, a Keras JSON
file or Keras Python code (told apart by content, not by file name: a document starts with
``{``, code does not). Every failure is one clear LabError."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from builder import templates
from builder.architecture import FORMAT, MAX_BYTES, Architecture, parse_json
from builder.errors import LabError
from builder.keras_code import from_keras_code, looks_like_code
from builder.keras_json import from_keras_json


def load_architecture(spec: str) -> Architecture:
    """The architecture named by ``spec``: an existing file first, then a template name."""
    path = Path(spec)
    if path.exists():
        return read_architecture(read_file(path), spec)
    if spec in templates.TEMPLATES or not _looks_like_path(spec):
        return templates.get(spec).architecture
    raise LabError("file_missing", path=spec)


def read_architecture(text: str | bytes, label: str = "") -> Architecture:
    """A LayerLab or Keras document, or Keras code, detected by its content."""
    if looks_like_code(text):
        return from_keras_code(text)
    doc = parse_json(text)
    if isinstance(doc, dict) and doc.get("format") == FORMAT:
        return Architecture.from_dict(doc)
    if _is_keras(doc):
        return from_keras_json(text)
    if isinstance(doc, dict) and "format" in doc:
        return Architecture.from_dict(doc)  # says which format it expected
    raise LabError("not_architecture", path=label or "the file")


def read_file(path: Path) -> bytes:
    """The bytes of ``path`` (LabError when missing, unreadable or over the size limit)."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise LabError("too_big", size=size, limit=MAX_BYTES)
        return path.read_bytes()
    except FileNotFoundError:
        raise LabError("file_missing", path=str(path)) from None
    except OSError as exc:
        raise LabError("file_unreadable", path=str(path), reason=exc.strerror or type(exc).__name__) from None


def _is_keras(doc: Any) -> bool:
    return isinstance(doc, dict) and "class_name" in doc and "config" in doc


def _looks_like_path(spec: str) -> bool:
    return "/" in spec or "\\" in spec or "." in spec
