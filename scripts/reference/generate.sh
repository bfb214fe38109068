#!/usr/bin/env bash
# Regenerates tests/vectors/report/reference/*.json from quantstats and empyrical-reloaded
# (versions pinned in requirements.txt), in a venv under scripts/reference/.venv (gitignored).
# The tests read the committed vectors; they never run this.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="$here/.venv"
python="${PYTHON:-python3}"
if [ ! -x "$venv/bin/python" ]; then
  "$python" -m venv "$venv"
fi
if ! cmp -s "$here/requirements.txt" "$venv/.requirements.txt" 2>/dev/null; then
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt"
  cp "$here/requirements.txt" "$venv/.requirements.txt"
fi
# quantstats warns (matplotlib fonts, its own deprecations) on import: keep stderr for errors.
MPLBACKEND=Agg "$venv/bin/python" -W ignore "$here/generate.py"
