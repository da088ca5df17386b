"""Class mode: who is who, the teacher's challenge and the leaderboard (pure, no Streamlit).

Class mode is on when a teacher key is set (``$LAYERLAB_TEACHER_KEY``, or the UI passes
the one from ``.streamlit/secrets.toml``). Modules:

* :mod:`~builder.classroom.keys` — the key, its check (``hmac.compare_digest``) with a
  growing wait after wrong keys, and teacher tokens;
* :mod:`~builder.classroom.roster` — students: names checked, a random token per student
  (only its hash is stored), each student's current model for the teacher;
* :mod:`~builder.classroom.challenge` — the challenge, ``broken_rules`` (every rule a
  model breaks, for Build and Train) and ``enforce``, the one check the store runs
  wherever a student's run is created or extended;
* :mod:`~builder.classroom.leaderboard` — public/private scores, ranking, Reveal, CSV.

The run store's owner, actor checks and fair queue come from :mod:`builder.store` and
:mod:`builder.access`; this package keeps its SQL in its own tables (``class_*``).
"""
from __future__ import annotations

from builder.access import Actor

TEACHER = "teacher"                    # the teacher's actor name (CLI ``--as teacher``)
TEACHER_ACTOR = Actor(TEACHER, teacher=True)
