"""A stand-in worker for tests/test_live.py: follows its parent as every worker does
(``builder.execution.lifeline``), writes its niceness, then waits to be ended."""
import sys
import time
from pathlib import Path

from builder.execution import lifeline

if __name__ == "__main__":
    niceness = lifeline.follow_parent()
    Path(sys.argv[1]).write_text(str(niceness))
    time.sleep(600)
