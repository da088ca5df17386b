"""The local end of a run trained on a Ray cluster (runs in a trainer process, never the server).

``connect(address)`` joins the cluster once per process; ``relay(sink)`` then trains the
run of a :class:`~builder.execution.sink.StoreSink` there and returns its final status, just like
``trainer.run_job``:

1. it starts a :class:`builder.execution.remote.RemoteTrainer` actor named ``layerlab-run-<id>-…``
   asking for one CPU and ``$LAYERLAB_RAY_GPUS`` GPUs (default 1) when the cluster has
   GPUs. Until Ray places it the run's progress says ``{"phase": "waiting"}``;
2. every ``TICK`` it exchanges the store's Stop flag for the worker's events and applies
   them to the store through a :class:`~builder.execution.sink.StoreSink`: metric rows, progress and
   heartbeat, finished epochs, the ``best``/``last``/``predictions`` files (written into
   the run's folder as usual) and at last the outcome;
3. a Stop before Ray placed the actor ends the run ``stopped`` at once; a worker (or the
   connection to the cluster) lost mid-run ends it ``interrupted``, keeping what arrived;
   a job Ray could not start or run at all (e.g. its runtime environment) ends ``failed``.

The actor dies with this process (Ray's owner fate-sharing), so a killed relay never
leaves a run training unseen. ``ray`` is imported only here, inside the functions.
"""
from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path
from typing import Any

from builder.errors import LabError
from builder.execution.remote import Event, Job, RemoteTrainer
from builder.execution.sink import StoreSink
from builder.execution.tf_env import tf_variables
from builder.trainer import TICK

GPUS_ENV = "LAYERLAB_RAY_GPUS"   # GPUs per job when the cluster has any (default 1)
NAMESPACE = "layerlab"
PACKAGE = Path(__file__).resolve().parents[1]  # shipped to the workers (Ray caches it by hash)


def connect(address: str) -> None:
    """Join the Ray cluster at ``address`` (``auto``, ``ray://host:10001``, ``host:6379``)."""
    gpus_per_job()  # a bad $LAYERLAB_RAY_GPUS fails here, before any run is handed over
    try:
        import ray
    except ImportError:
        raise LabError("ray_missing") from None
    try:
        ray.init(address=address, namespace=NAMESPACE, logging_level="ERROR", runtime_env={
            "py_modules": [str(PACKAGE)], "excludes": ["__pycache__"],
            "env_vars": tf_variables()})
    except Exception as exc:  # Ray raises ConnectionError, RuntimeError, ValueError…
        raise LabError("ray_unreachable", address=address,
                       reason=f"{type(exc).__name__}: {exc}"[:200]) from None


def relay(sink: StoreSink) -> str:
    """Train the sink's running run on the cluster; returns its final status. A lost lease
    (:class:`~builder.store.LeaseLost`) ends the relay and, with it, the cluster job."""
    import ray
    try:
        actor = ray.remote(RemoteTrainer).options(**_options(sink.run_id)).remote(Job.of(sink))
    except Exception as exc:  # e.g. a setting Ray refuses: the run's error, not a crash
        return _ended(sink, {}, False, exc)
    try:
        return _follow(ray, actor, sink)
    finally:
        with contextlib.suppress(ray.exceptions.RayError, ConnectionError):
            ray.kill(actor)  # frees its CPU/GPU now


def _follow(ray: Any, actor: Any, sink: StoreSink) -> str:
    """Relay events until the worker finishes, Stop wins the race to Ray, or the worker dies."""
    done = actor.train.remote()  # its outcome arrives as the "finish" event
    progress: dict[str, Any] = {"phase": "waiting"}
    placed = False
    answer = actor.exchange.remote(False)
    while True:
        try:
            ready, _ = ray.wait([answer], timeout=TICK)
            events: list[Event] = ray.get(answer) if ready else []
            if not events and ray.wait([done], timeout=0)[0]:
                ray.get(done)  # raises when train() itself failed, before any "finish"
        except (ray.exceptions.RayError, ConnectionError) as exc:
            lost = placed and isinstance(exc, (ray.exceptions.RayActorError,
                                               ray.exceptions.WorkerCrashedError, ConnectionError))
            return _ended(sink, progress, lost, exc)
        placed = placed or bool(ready)
        progress, outcome = _apply(events, sink, progress)
        stop = sink.beat(progress, _rows(events))
        if outcome is not None:
            sink.finish(*outcome)
            return outcome[0]
        if stop and not placed:
            sink.finish("stopped", None, None)
            return "stopped"
        if ready:
            time.sleep(TICK)
            answer = actor.exchange.remote(stop)


def _ended(sink: StoreSink, progress: dict[str, Any], lost: bool, exc: Exception) -> str:
    """A worker lost mid-run: interrupted, keeping what arrived; else the job failed."""
    if lost:
        sink.finish("interrupted", None, LabError("worker_lost", node=progress.get("node", "?")))
        return "interrupted"
    sink.finish("failed", None, LabError("ray_job_failed", reason=f"{type(exc).__name__}: {exc}"[:300]))
    return "failed"


def _apply(events: list[Event], sink: StoreSink,
           progress: dict[str, Any]) -> tuple[dict[str, Any], tuple | None]:
    """Store the finished epochs and the files now (the rows follow with the next beat, as
    in the local trainer); returns the latest progress and the outcome, if it came."""
    outcome = None
    for name, *values in events:
        if name == "beat":
            progress = values[0]
        elif name == "epochs":
            sink.record_epochs(*values)
        elif name == "artifact":
            kind, filename, data = values
            sink.add_artifact(kind, _save(sink.folder / filename, data))
        elif name == "finish":
            outcome = tuple(values)
    return progress, outcome


def _rows(events: list[Event]) -> list[tuple]:
    return [row for name, *values in events if name == "beat" for row in values[1]]


def _save(path: Path, data: bytes) -> Path:
    """Write atomically: a page may be reading the previous best model."""
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(path.name + ".part")
    part.write_bytes(data)
    part.replace(path)
    return path


def _options(run_id: int) -> dict[str, Any]:
    """Ray actor options: a GPU job when the cluster has GPUs, a one-CPU job otherwise."""
    import ray
    has_gpus = ray.cluster_resources().get("GPU", 0) > 0
    return {"name": f"layerlab-run-{run_id}-{time.time_ns()}", "num_cpus": 1,
            "num_gpus": gpus_per_job() if has_gpus else 0, "max_concurrency": 2,
            "max_restarts": 0}


def gpus_per_job() -> float:
    value = os.environ.get(GPUS_ENV, "1")
    try:
        gpus = float(value)
    except ValueError:
        gpus = -1.0
    if gpus <= 0:
        raise LabError("bad_setting", name=GPUS_ENV, allowed="a number of GPUs > 0", got=value)
    return gpus
