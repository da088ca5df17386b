"""Every TensorFlow process of ours gets one environment: quiet C++ logs and oneDNN kernels,
unless the user chose otherwise."""
from __future__ import annotations

import os

from builder.execution import tf_env


def test_children_get_onednn_and_this_project_on_their_path(monkeypatch):
    monkeypatch.delenv("TF_ENABLE_ONEDNN_OPTS", raising=False)
    monkeypatch.setenv("PYTHONPATH", "/elsewhere")
    env = tf_env.child_environment()
    assert env["TF_ENABLE_ONEDNN_OPTS"] == "1"
    assert env["PYTHONPATH"].split(os.pathsep) == [str(tf_env.ROOT), "/elsewhere"]
    assert env["HOME"] == os.environ["HOME"]


def test_a_value_the_user_set_wins(monkeypatch):
    monkeypatch.setenv("TF_ENABLE_ONEDNN_OPTS", "0")
    monkeypatch.setenv("TF_CPP_MIN_LOG_LEVEL", "0")
    assert tf_env.tf_variables() == {"TF_CPP_MIN_LOG_LEVEL": "0", "TF_ENABLE_ONEDNN_OPTS": "0"}
    tf_env.apply()
    assert os.environ["TF_ENABLE_ONEDNN_OPTS"] == "0"


def test_the_executor_starts_trainers_with_it(monkeypatch, tmp_path):
    from builder.execution import executor
    from builder.store import Store
    seen = {}
    monkeypatch.delenv("TF_ENABLE_ONEDNN_OPTS", raising=False)

    class Started:
        pid = 4242

        def __init__(self, argv, **kwargs):
            seen.update(kwargs["env"])

    monkeypatch.setattr(executor.subprocess, "Popen", Started)
    runner = executor.LocalExecutor(Store.open(tmp_path / "runs.sqlite"), 1)
    runner._start("builder.execution.executor")
    assert seen["TF_ENABLE_ONEDNN_OPTS"] == "1" and str(tf_env.ROOT) in seen["PYTHONPATH"]
