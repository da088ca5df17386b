"""``python -m builder predict`` and ``python -m builder runs inside``.

``predict RUN_ID IMAGE_FILE [--top N] [--json]`` runs the run's best model on an image in
this process and prints the most likely classes (``--json``: ``{"run_id", "predictions":
[{"class", "probability"}, …] (all classes, summing to 1), "steps"}``).
``runs inside RUN_ID [--json]`` lists what the trainer recorded inside the model:
``layers`` (name, label, type, output shape as the Build page shows it), ``epochs``,
``images``, ``bytes``. Bad images and runs without a model or recordings exit 2 with one line.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from builder import inside
from builder.cli.common import EXIT_OK, common
from builder.errors import LabError
from builder.store import Store
from builder.text import t



def register(subparsers: argparse._SubParsersAction, lang: str) -> None:
    """Add ``predict`` and the ``inside`` action of ``runs`` (registered by cli_train)."""
    predict = subparsers.add_parser("predict", parents=[common(lang)], help=t("cli.predict", lang),
                                    description=t("cli.predict", lang))
    predict.set_defaults(run=run_predict, lang=lang)
    predict.add_argument("id", type=int, metavar="RUN_ID")
    predict.add_argument("image", metavar="IMAGE_FILE", help=t("cli.predict.image", lang))
    predict.add_argument("--top", type=int, default=3, help=t("cli.predict.top", lang))
    predict.add_argument("--json", action="store_true", help=t("cli.json", lang))

    runs = subparsers.choices["runs"]
    actions = next(a for a in runs._actions if isinstance(a, argparse._SubParsersAction))
    shown = actions.add_parser("inside", parents=[common(lang)], help=t("cli.train.inside", lang),
                               description=t("cli.train.inside", lang))
    shown.set_defaults(run=run_inside, lang=lang)
    shown.add_argument("id", type=int, metavar="RUN_ID")
    shown.add_argument("--json", action="store_true", help=t("cli.json", lang))


def run_predict(args: argparse.Namespace) -> int:
    from builder.inference import MAX_BYTES, predict_here
    path = Path(args.image)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise LabError("image_too_big", size=f"{size / 1e6:.1f}", limit=MAX_BYTES // 1_000_000)
        data = path.read_bytes()
    except OSError as exc:
        raise LabError("file_unreadable", path=str(path), reason=exc.strerror or type(exc).__name__) from None
    store = Store.open()
    prediction = predict_here(store, args.id, data)
    if args.json:
        print(json.dumps({"run_id": args.id, "predictions": prediction.ranked(),
                          "steps": prediction.steps}, ensure_ascii=False, indent=2))
        return EXIT_OK
    for item in prediction.ranked(max(1, args.top)):
        print(f"{item['probability']:7.2%}  {item['class']}")
    return EXIT_OK


def run_inside(args: argparse.Namespace) -> int:
    store = Store.open()
    store.run(args.id)  # "there is no run N" before "no recordings"
    recorded = inside.read(store.artifact(args.id, inside.KIND), args.id)
    doc = {"run_id": args.id, **inside.describe(recorded)}
    if args.json:
        print(json.dumps(doc, ensure_ascii=False, indent=2))
        return EXIT_OK
    for layer in doc["layers"]:
        print(f"{layer['name']:<24} {layer['type']:<20} {layer['output_shape']}")
    print(t("cli.inside.summary", args.lang, epochs=len(doc["epochs"]), images=len(doc["images"]),
            bytes=doc["bytes"]))
    return EXIT_OK
