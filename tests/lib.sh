# lib.sh — sourced by the end-to-end tests. ok/fail count checks; finish
# prints the summary line tests/run.sh adds up. $JIXIA is the binary.
pass=0
failn=0
T=$(mktemp -d /tmp/jixia-e2e.XXXXXX)
trap 'rm -rf "$T"' EXIT

ok() { pass=$((pass + 1)); echo "ok $1"; }
fail() { failn=$((failn + 1)); echo "FAIL $1${2:+: $2}"; }

# check NAME COMMAND... : passes when the command succeeds.
check() {
	name=$1
	shift
	if "$@"; then ok "$name"; else fail "$name"; fi
}

# contains FILE TEXT : the file holds the text (fixed string).
contains() { grep -qF -- "$2" "$1"; }

# until_ok COMMAND... : polls the command until it succeeds, for 30 s at most.
# What it waits for comes in well under a second on a quiet machine; the
# margin is for a CI machine at a load of ten, where 10 s once ran out.
until_ok() {
	i=0
	while [ $i -lt 300 ]; do
		"$@" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# A small git repository with a committed site: mkrepo DIR
mkrepo() {
	mkdir -p "$1"
	git -C "$1" init -q -b main
	git -C "$1" config user.name 'Test Author'
	git -C "$1" config user.email 'test@example.org'
}
commit() {
	git -C "$1" add -A
	GIT_AUTHOR_DATE="$3" GIT_COMMITTER_DATE="$3" git -C "$1" commit -q -m "$2"
}
# Commits everything in the repository $site as someone: as NAME EMAIL DATE MESSAGE
as() {
	git -C "$site" add -A
	GIT_AUTHOR_NAME=$1 GIT_AUTHOR_EMAIL=$2 GIT_AUTHOR_DATE=$3 GIT_COMMITTER_DATE=$3 \
		git -C "$site" commit -q -m "$4"
}

# jixia's caches and stamp are keyed by its build id (incr.c's S_exe_read).
# build_id BIN: the id readelf shows, empty when it has none.
build_id() { readelf -n "$1" 2>/dev/null | sed -n 's/.*Build ID: //p'; }
# another_jixia BIN COPY: COPY another build of BIN, its build id flipped (else a byte appended).
another_jixia() {
	cp "$1" "$2" || return
	id=$(build_id "$2")
	if [ -z "$id" ]; then
		printf x >>"$2"
		return
	fi
	python3 -c 'import sys
b = bytearray(open(sys.argv[1], "rb").read())
i = b.find(bytes.fromhex(sys.argv[2]))
assert i > 0 and b.find(bytes.fromhex(sys.argv[2]), i + 1) < 0
b[i] ^= 1
open(sys.argv[1], "wb").write(b)' "$2" "$id"
}

finish() {
	echo "$(basename "$0" .sh): $pass passed, $failn failed"
	[ "$failn" -eq 0 ]
}
