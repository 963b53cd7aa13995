# pairs.sh: what the alternated benchmarks (onepage.sh, fieldedits.sh)
# share, sourced by them: two copies of the corpus, one per binary, each
# with its own cache folder, so that neither binary reuses the other's
# caches (their keys name the executable) and both see the same edits.

# pairs_setup NAME: T, a scratch folder removed at exit, holding the copies
# a and b of the corpus (BENCH_CORPUS, else /work/bench/c10k) and their
# cache folders cache-a and cache-b.
pairs_setup() {
	T=$(mktemp -d "${TMPDIR:-/tmp}/jixia-$1.XXXXXX")
	trap 'rm -rf "$T"' EXIT
	for x in a b; do
		cp -a "${BENCH_CORPUS:-/work/bench/c10k}" "$T/$x"
		mkdir -p "$T/cache-$x"
	done
}

# build X BIN [ARGS...]: copy X built by BIN into its own output, out-X.
build() {
	x=$1 bin=$2
	shift 2
	XDG_CACHE_HOME="$T/cache-$x" CI=1 "$bin" build -j2 "$@" "$T/$x" -o "$T/out-$x"
}

# The median of the numbers on the standard input, one a line.
med() {
	sort -n | awk '{v[NR]=$1} END {print (v[int((NR+1)/2)] + v[int(NR/2)+1]) / 2}'
}
