#!/usr/bin/python3
# serve-latency.py SITE [--edits N] [--cold-every K] [--jixia PATH] [--seed S] [--tmp DIR]
#
# The time from saving a file to jixia serve's reload event, over N edits of
# random pages (a body edit, a title edit, a tag change, in turn), and the
# server's memory (RSS) as the edits go on. After every K edits a cold
# `jixia build` of the same state runs (the server idle meanwhile), so the
# latency is reported as a ratio to the cold build under the same load. SITE (a site in a git
# repository, e.g. the bench corpus) is copied first (to /dev/shm when it
# is there), so it is never modified. Prints p50, p95 and max in ms and the
# RSS after the first build and every 10 edits. A benchmark, not a test:
# nothing here passes or fails on a time.
import argparse
import http.client
import os
import queue
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time


def rss_kib(pid):
    with open(f'/proc/{pid}/status') as f:
        for line in f:
            if line.startswith('VmRSS:'):
                return int(line.split()[1])
    return 0


def stream(host, port, out):
    """Reads the event stream; puts (time, event, data) on out."""
    conn = http.client.HTTPConnection(host, port)
    conn.request('GET', '/_jixia/events')
    resp = conn.getresponse()
    event = None
    while True:
        line = resp.readline()
        if not line:
            return
        line = line.decode().rstrip('\n')
        if line.startswith('event: '):
            event = line[7:]
        elif line.startswith('data: ') and event:
            out.put((time.monotonic(), event, line[6:]))
            event = None


def edit(path, kind, n):
    """One edit of the page at path; returns what it did."""
    with open(path, encoding='utf-8') as f:
        text = f.read()
    if kind == 'title' and re.search(r'^title: .*$', text, re.M):
        text = re.sub(r'^title: .*$', f"title: 'Edited title {n}'", text, count=1, flags=re.M)
    elif kind == 'tags' and re.search(r'^tags: \[.*\]$', text, re.M):
        text = re.sub(r'^tags: \[(.*)\]$', lambda m: f'tags: [edited{n % 5}, {m.group(1)}]' if m.group(1)
                      else f'tags: [edited{n % 5}]', text, count=1, flags=re.M)
    else:
        kind = 'body'
        text += f'\nEdited paragraph {n}.\n'
    with open(path, 'w', encoding='utf-8') as f:
        f.write(text)
    return kind


def pct(v, p):
    s = sorted(v)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def interrupted(sig, frame):
    raise KeyboardInterrupt


def main():
    # started in the background, SIGINT may be ignored: SIGTERM stops it cleanly too
    signal.signal(signal.SIGTERM, interrupted)
    ap = argparse.ArgumentParser()
    ap.add_argument('site')
    ap.add_argument('--edits', type=int, default=50)
    ap.add_argument('--jixia', default=os.path.join(os.path.dirname(__file__), '..', '..', 'build', 'jixia'))
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--cold-every', type=int, default=5)
    ap.add_argument('--tmp', default='/dev/shm' if os.path.isdir('/dev/shm') else None)
    a = ap.parse_args()

    work = tempfile.mkdtemp(prefix='jixia-serve-bench.', dir=a.tmp)
    site = os.path.join(work, 'site')
    proc = None
    try:
        shutil.copytree(a.site, site, symlinks=True)
        pages = sorted(os.path.join(d, f) for d, _, fs in os.walk(os.path.join(site, 'content'))
                       for f in fs if f.endswith('.md'))
        env = dict(os.environ)
        t0 = time.monotonic()
        proc = subprocess.Popen([a.jixia, 'serve', site, '--port', '0'], stdout=subprocess.PIPE,
                                stderr=open(os.path.join(work, 'serve.err'), 'w'), env=env, text=True)
        line = proc.stdout.readline()
        m = re.match(r'jixia: serving http://([0-9.]+):(\d+)/', line)
        if not m:
            sys.exit(f'serve did not start: {line!r}; see {work}/serve.err')
        first = time.monotonic() - t0
        events = queue.Queue()
        threading.Thread(target=stream, args=(m.group(1), int(m.group(2)), events), daemon=True).start()
        _, ev, data = events.get(timeout=30)
        gen = int(re.search(r'"gen":(\d+)', data).group(1))
        print(f'{len(pages)} pages; first build and serve: {first:.2f} s; RSS {rss_kib(proc.pid) // 1024} MiB')

        rng = random.Random(a.seed)
        kinds = ['body', 'title', 'tags']
        lat = {k: [] for k in kinds}
        allv = []
        time.sleep(1)
        rss = [rss_kib(proc.pid)]
        cold = []
        for i in range(a.edits):
            path = rng.choice(pages)
            kind = edit(path, kinds[i % 3], i)
            saved = time.monotonic()
            while True:
                t, ev, data = events.get(timeout=300)
                g = int(re.search(r'"gen":(\d+)', data).group(1))
                if ev == 'errors':
                    sys.exit(f'edit {i} of {path} broke the site: {data[:300]}')
                if g > gen:
                    gen = g
                    break
            ms = (t - saved) * 1000
            lat[kind].append(ms)
            allv.append(ms)
            if (i + 1) % 10 == 0:
                time.sleep(1)  # the previous site is freed just after the event
                rss.append(rss_kib(proc.pid))
                print(f'  {i + 1} edits: RSS {rss[-1] // 1024} MiB')
            if a.cold_every and (i + 1) % a.cold_every == 0:
                c0 = time.monotonic()
                r = subprocess.run([a.jixia, 'build', site, '-o', os.path.join(work, 'cold')],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
                if r.returncode == 0:
                    cold.append((time.monotonic() - c0) * 1000)
            # the next save comes once this one is served, as a person edits
            time.sleep(0.05)
        print(f'save to reload event over {len(allv)} edits: p50 {pct(allv, 50):.0f} ms, '
              f'p95 {pct(allv, 95):.0f} ms, max {max(allv):.0f} ms')
        for k in kinds:
            if lat[k]:
                print(f'  {k} edits ({len(lat[k])}): p50 {pct(lat[k], 50):.0f} ms, p95 {pct(lat[k], 95):.0f} ms')
        if cold:
            c = pct(cold, 50)
            print(f'cold jixia build, {len(cold)} runs between the edits: median {c:.0f} ms; '
                  f'latency p50 {pct(allv, 50) / c:.2f}x, p95 {pct(allv, 95) / c:.2f}x the cold build')
        print('RSS (MiB) after the first build, then every 10 edits: ' + ' '.join(str(r // 1024) for r in rss))
        proc.send_signal(signal.SIGINT)
        rc = proc.wait(timeout=120)
        print(f'SIGINT: exit {rc}')
        proc = None
    finally:
        if proc:
            proc.kill()
            proc.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == '__main__':
    main()
