"""Class mode: who is who, the teacher's challenge and the leaderboard (pure, no Streamlit).

Class mode is on when a teacher key is set (``$LAYERLAB_TEACHER_KEY``, or the UI passes
the one from ``.streamlit/secrets.toml``). Modules:

* :mod:`~builder.classroom.keys` — the key, its strength, its check
  (``hmac.compare_digest``) with a growing wait after wrong keys from one client, and
  teacher tokens;
* :mod:`~builder.classroom.roster` — students: names checked (lookalikes by their TR39
  skeleton), a random token per student (only its hash is stored; Leave and the school
  day end it), each student's current model for the teacher;
* :mod:`~builder.classroom.challenge` — the challenge, ``broken_rules`` (every rule a
  model breaks, for Build and Train), ``enforce`` (the one check the store runs wherever a
  student's run is created or extended) and ``submit_run``;
* :mod:`~builder.classroom.halves` — the fixed public/private split of a test set;
* :mod:`~builder.classroom.leaderboard` — public/private scores on the class dataset's
  own test labels, ranking, runs not ranked and why, Reveal, CSV;
* :mod:`~builder.classroom.visibility` — which runs and which results an actor sees
  (before Reveal a student: the public half only).

The run store's owner, actor checks and fair queue come from :mod:`builder.store` and
:mod:`builder.access`; this package keeps its SQL in its own tables (``class_*``).
"""
from __future__ import annotations

from builder.access import Actor

TEACHER = "teacher"                    # the teacher's actor name (CLI ``--as teacher``)
TEACHER_ACTOR = Actor(TEACHER, teacher=True)
