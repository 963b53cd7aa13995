#!/bin/sh
# incremental.sh: random edits to a small site, fixed seeds; after each
# step a build into the existing output equals a cold build, and so does a
# build through serve's kept state (incremental.py, with incr_driver).
B=${B:-build}
if [ -x "$B/tests/incr_driver" ]; then
	INCR_DRIVER=$(realpath "$B/tests/incr_driver")
	export INCR_DRIVER
fi
exec python3 "$(dirname "$0")/incremental.py" "$@"
