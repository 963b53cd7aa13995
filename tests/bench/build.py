#!/usr/bin/env python3
"""build.py: cold build against rebuilds into the existing output (make bench).

On the 10,000-page / 5,000-commit corpus of ../shared/bench/gen-corpus.py
(BENCH_CORPUS, else /work/bench/c10k when it is there, else generated once
into $XDG_CACHE_HOME/jixia-bench/c10k), copied to a scratch folder so the
edits never touch it, each round runs in a row:

  cold     output, spare and cache moved aside first (into a folder
           removed at the end: on ext4 without a journal, as here, an
           inode freed less than 60 s before is passed over, one by one,
           each time a new one is made in its group, so a cold build right
           after the last one's output was deleted took 1-5 s longer, and
           more each round)
  no-op    the same sources again (the build stamp matches)
  first    one random page's body edited (in the working tree): the first
           rebuild after a cold build, which has no spare yet
  body     one random page's body edited
  title    one random page's title edited
  tags     one random page's tags changed

Each rebuild starts BENCH_PAUSE seconds (3.2) after the build before it
ended, its edit made first, as a contributor's edits come seconds apart:
the output folders' record (write.c) vouches only for folders changed
over three seconds before a build, so builds back to back would measure
a case no one meets (every kept output looked at).

then, when build/tests/incr_driver is there, the same three edits built
through one struct incr kept between builds into memory as serve does
(serve-body, serve-title, serve-tags; its first build is not counted;
the outputs it rendered and kept, rerender.h), with the driver's
resident memory after each build.

and prints each kind's median wall and CPU time (user + system), their ratios
to the cold medians (CPU time is steadier on a shared machine), and
its median peak memory (/usr/bin/time -v "Maximum resident set size").
A benchmark, not a test: it asserts nothing.

    JIXIA=build/jixia python3 tests/bench/build.py [ROUNDS]
"""
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
JIXIA = os.path.abspath(os.environ.get("JIXIA", "build/jixia"))
GEN = os.environ.get("BENCH_GEN", os.path.join(HERE, "..", "..", "..", "shared", "bench", "gen-corpus.py"))
# --corpus: print the corpus's path (generated first if need be) and stop, for make bench's serve row
CORPUS_ONLY = sys.argv[1:] == ["--corpus"]
ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 and not CORPUS_ONLY else int(os.environ.get("BENCH_ROUNDS", "3"))
JOBS = os.environ.get("BENCH_JOBS", "2")
PAUSE = float(os.environ.get("BENCH_PAUSE", "3.2"))
KINDS = ["cold", "no-op", "first", "body", "title", "tags"]
DRIVER = os.path.abspath(os.environ.get("INCR_DRIVER", os.path.join(HERE, "..", "..", "build", "tests", "incr_driver")))


def corpus():
    if os.environ.get("BENCH_CORPUS"):
        return os.environ["BENCH_CORPUS"]
    if os.path.isdir("/work/bench/c10k/.git"):
        return "/work/bench/c10k"
    cache = os.path.join(os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")), "jixia-bench", "c10k")
    if not os.path.isdir(os.path.join(cache, ".git")):
        print("bench: generating the corpus into %s (once; a few minutes)" % cache, file=sys.stderr, flush=True)
        shutil.rmtree(cache, ignore_errors=True)
        subprocess.run([sys.executable, GEN, cache, "--pages", "10000", "--commits", "5000", "--seed", "1"],
                       check=True)
    return cache


def timed(args, env):
    """Wall seconds, CPU seconds (user + system) and peak resident KiB of one run."""
    t0 = time.monotonic()
    r = subprocess.run(["/usr/bin/time", "-v"] + args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       env=env)
    wall = time.monotonic() - t0
    err = r.stderr.decode("utf-8", "replace")
    if r.returncode != 0:
        sys.exit("bench: %s failed:\n%s" % (" ".join(args), err[-2000:]))
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", err).group(1))
    cpu = sum(float(re.search(r"%s time \(seconds\): ([\d.]+)" % k, err).group(1)) for k in ("User", "System"))
    return wall, cpu, rss


def edit(site, rng, kind):
    pages = []
    for d in ("talks", "faq", "cases"):
        pages += [os.path.join(site, "content", d, f) for f in os.listdir(os.path.join(site, "content", d))
                  if f.endswith(".md")]
    path = rng.choice(sorted(pages))
    with open(path, encoding="utf-8") as f:
        text = f.read()
    n = rng.randint(0, 10**6)
    if kind in ("body", "first"):
        text += "\nEdited %d.\n" % n
    elif kind == "title":
        text = re.sub(r"^title: .*$", "title: 'Edited title %d'" % n, text, count=1, flags=re.M)
    else:
        text = re.sub(r"^tags: .*$", "tags: [%s]" % rng.choice(["performance", "gis", "ai", "backup"]), text,
                      count=1, flags=re.M)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def cpu_of(pid):
    """CPU seconds (user + system) a running process has used."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def serve(site, tmp, env, rng, times, cpus, rss):
    """Rebuilds through one kept struct incr (incr_driver), as serve runs them."""
    p = subprocess.Popen([DRIVER, site], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, universal_newlines=True, env=env)
    try:
        for r in range(ROUNDS + 1):
            for kind in ("body", "title", "tags"):
                if r > 0:
                    edit(site, rng, kind)
                t0 = time.monotonic()
                c0 = cpu_of(p.pid)
                p.stdin.write("build - -\n")  # into memory, as serve builds
                p.stdin.flush()
                line = p.stdout.readline().split()
                w = time.monotonic() - t0
                c = cpu_of(p.pid) - c0
                if line[:2] != ["done", "0"]:
                    sys.exit("bench: incr_driver: %s" % " ".join(line))
                with open("/proc/%d/status" % p.pid) as f:
                    m = int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1))
                if r > 0:
                    times.setdefault("serve-" + kind, []).append(w)
                    cpus.setdefault("serve-" + kind, []).append(c)
                    rss.setdefault("serve-" + kind, []).append(m)
                    print("bench: round %d serve-%-6s %6.2f s %7d KiB now, %d KiB of it in use "
                          "(history reused %s times; %s outputs rendered, %s kept)"
                          % (r, kind, w, m, int(line[-1]) // 1024, line[2], line[3], line[4]), flush=True)
    finally:
        p.stdin.close()
        p.wait()


def main():
    src = corpus()
    tmp = tempfile.mkdtemp(prefix="jixia-bench.")
    try:
        site = os.path.join(tmp, "site")
        print("bench: copying %s" % src, flush=True)
        subprocess.run(["cp", "-a", src, site], check=True)
        out = os.path.join(tmp, "public")
        cache = os.path.join(tmp, "cache")
        env = dict(os.environ, CI="1", XDG_CACHE_HOME=cache)
        args = [JIXIA, "build", site, "-o", out, "-j", JOBS]
        rng = random.Random(7)
        times = {k: [] for k in KINDS}
        rss = {k: [] for k in KINDS}
        cpus = {}
        trash = os.path.join(tmp, "trash")
        os.mkdir(trash)
        for r in range(ROUNDS):
            for kind in KINDS:
                if kind == "cold":
                    for i, d in enumerate((out, os.path.join(tmp, ".public.spare"), cache,
                                           os.path.join(site, ".jixia"))):
                        if os.path.exists(d):
                            os.rename(d, os.path.join(trash, "%d-%d" % (r, i)))
                elif kind != "no-op":
                    edit(site, rng, kind)
                if kind != "cold":
                    time.sleep(max(0.0, PAUSE - (time.monotonic() - ended)))
                w, c, m = timed(args, env)
                ended = time.monotonic()
                times[kind].append(w)
                cpus.setdefault(kind, []).append(c)
                rss[kind].append(m)
                print("bench: round %d %-6s %6.2f s %6.2f s CPU %7d KiB" % (r + 1, kind, w, c, m), flush=True)
        if os.path.exists(DRIVER):
            serve(site, tmp, env, rng, times, cpus, rss)
        cold = statistics.median(times["cold"])
        cold_cpu = statistics.median(cpus["cold"])
        npages = sum(len(f) for _, _, f in os.walk(os.path.join(site, "content")))
        print("\n%d content files of %s, -j%s, %d rounds (medians)" % (npages, os.path.basename(src), JOBS, ROUNDS))
        print("%-12s %9s %9s %9s %9s %10s" % ("build", "wall s", "x cold", "CPU s", "x cold", "RSS"))
        for kind in times:
            if not times[kind]:
                continue
            t = statistics.median(times[kind])
            c = statistics.median(cpus[kind])
            print("%-12s %9.3f %9.3f %9.3f %9.3f %7.0f MiB" % (kind, t, t / cold, c, c / cold_cpu,
                                                            statistics.median(rss[kind]) / 1024))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    if CORPUS_ONLY:
        print(corpus())
    else:
        main()
