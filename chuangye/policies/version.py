"""The engine version stored with every decision: a release number plus a digest of the rules and parameters.

The digest covers every policy module, the evaluators and the parameter files, so two decisions with the same
version were made by exactly the same rules and national figures.
"""

import functools
import hashlib
from pathlib import Path

RELEASE = "1.0"
_ROOT = Path(__file__).resolve().parent
_COVERED = ("*.py", "catalogue/*.py", "parameters/*.yaml")


@functools.cache
def engine_version() -> str:
    digest = hashlib.sha256()
    for pattern in _COVERED:
        for path in sorted(_ROOT.glob(pattern)):
            digest.update(path.relative_to(_ROOT).as_posix().encode())
            digest.update(path.read_bytes())
    return f"{RELEASE}+{digest.hexdigest()[:12]}"
