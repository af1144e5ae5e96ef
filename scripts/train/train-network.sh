#!/usr/bin/env bash
# Re-create the trained instrument network (assets/networks/instrument-cnn-v1.*) and the
# forward fixture its test compares against. Build-time only; the app never runs Python.
#   bash scripts/train/train-network.sh [--seed N] [--epochs N]
# Needs Debian's python3-torch, python3-scipy, fluidsynth and fluid-soundfont-gm
# (apt-get install -y python3-torch python3-scipy fluidsynth fluid-soundfont-gm). Runs at
# low priority: about 20 minutes on 2 cores when they are not shared.
set -euo pipefail
cd "$(dirname "$0")/../.."
# Debian's interpreter, where python3-torch is installed (a pyenv or venv python3 earlier
# on PATH would not have it); PYTHON overrides.
PYTHON=${PYTHON:-/usr/bin/python3}
missing=()
"$PYTHON" -c 'import torch, scipy, numpy' 2>/dev/null || missing+=(python3-torch python3-scipy)
command -v fluidsynth >/dev/null || missing+=(fluidsynth)
[ -f /usr/share/sounds/sf2/FluidR3_GM.sf2 ] || missing+=(fluid-soundfont-gm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "train-network: missing ${missing[*]}: apt-get install -y ${missing[*]}" >&2
  exit 2
fi
exec nice -n 10 "$PYTHON" scripts/train/train.py "$@"
