"""python -m bench.moodle MOODLE_SRC [options]: the same as bash bench/moodle/compare.sh."""

import os
import sys
from pathlib import Path

script = Path(__file__).resolve().parent / "compare.sh"
os.execvp("bash", ["bash", str(script), *sys.argv[1:]])
