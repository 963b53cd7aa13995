#!/bin/sh
# incremental.sh: random edits to a small site, fixed seeds; after each
# step a build into the existing output equals a cold build (incremental.py).
exec python3 "$(dirname "$0")/incremental.py" "$@"
