#!/usr/bin/python3
# serve-latency.py SITE [--edits N] [--cold-every K] [--layout-edits L] [--jixia PATH] [--seed S] [--tmp DIR]
#
# The time from saving a file to jixia serve's reload event, over N edits of
# random pages (a body edit, a title edit, a tag change, in turn), and the
# server's memory (RSS) as the edits go on. The event stream is opened on
# the edited page, as the reload script of that page opens it (a
# contributor previews the page they edit): two times per edit, save to
# that page's reload (serve renders the open pages first, before the rest
# of the site) and save to the whole site rebuilt (the commit's state). After every K edits a cold
# `jixia build` of the same state runs (the server idle meanwhile), so the
# latency is reported as a ratio to the cold build under the same load. SITE (a site in a git
# repository, e.g. the bench corpus) is copied first (to /dev/shm when it
# is there), so it is never modified. Prints p50, p95 and max in ms and the
# RSS after the first build and every 10 edits. Then L edits of the layout
# every page uses (partials/base.html, the built-in one with a comment
# added, saved in the site's layouts/): every output renders again, timed
# to the open page's reload and to the whole site, against the cold
# build. A benchmark, not a test:
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
import urllib.parse


def rss_kib(pid):
    with open(f'/proc/{pid}/status') as f:
        for line in f:
            if line.startswith('VmRSS:'):
                return int(line.split()[1])
    return 0


def stream(conn, page, out):
    """Reads the event stream of the page (its URL path, or None); puts (time, event, data) on out."""
    try:
        q = '?page=' + urllib.parse.quote(page, safe='') if page else ''
        conn.request('GET', '/_jixia/events' + q)
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
    except (OSError, http.client.HTTPException, ValueError, AttributeError):
        return  # closed by the main thread


def open_stream(host, port, page):
    """An event stream on the page; returns (connection, queue) once its first state came."""
    conn = http.client.HTTPConnection(host, port)
    q = queue.Queue()
    threading.Thread(target=stream, args=(conn, page, q), daemon=True).start()
    return conn, q, q.get(timeout=60)


def page_url(site, path):
    """The URL path jixia gives a content file by default: content/a/b.md -> /a/b/, b.zh.md -> /zh/a/b/."""
    rel = os.path.relpath(path, os.path.join(site, 'content'))[:-3]
    lang = ''
    m = re.match(r'^(.*)\.([a-z]{2}(?:-[a-z]+)?)$', rel)
    if m:
        rel, lang = m.group(1), m.group(2) + '/'
    if os.path.basename(rel) in ('index', '_index'):
        rel = os.path.dirname(rel)
    return '/' + lang + (rel + '/' if rel else '')


def status_of(host, port, url):
    conn = http.client.HTTPConnection(host, port)
    try:
        conn.request('HEAD', urllib.parse.quote(url))
        return conn.getresponse().status
    finally:
        conn.close()


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


def served(events, gen, what):
    """Waits for the rebuild after gen: (the page's reload, the commit, the commit's gen)."""
    first = None
    while True:
        t, ev, data = events.get(timeout=300)
        g = int(re.search(r'"gen":(\d+)', data).group(1))
        if ev == 'errors':
            sys.exit(f'{what} broke the site: {data[:300]}')
        if g > gen and first is None:
            first = t  # the page's reload: its preview, or the commit
        if g > gen and '"preview"' not in data:
            return first, t, g


def layout_edits(host, port, site, pages, rng, gen, n):
    """n edits of the base layout every page uses (the built-in one, a comment
    added, put in the site's layouts/): (reload times, commit times) in ms."""
    base = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'layouts', 'partials',
                        'base.html')
    with open(base, encoding='utf-8') as f:
        text = f.read()
    os.makedirs(os.path.join(site, 'layouts', 'partials'), exist_ok=True)
    reload_v, site_v = [], []
    for j in range(n):
        url = page_url(site, rng.choice(pages))
        conn, events, _ = open_stream(host, port, url if status_of(host, port, url) == 200 else None)
        with open(os.path.join(site, 'layouts', 'partials', 'base.html'), 'w', encoding='utf-8') as f:
            f.write(text + f'<!-- layout edit {j} -->\n')
        saved = time.monotonic()
        first, t, gen = served(events, gen, f'layout edit {j}')
        conn.close()
        reload_v.append((first - saved) * 1000)
        site_v.append((t - saved) * 1000)
        time.sleep(0.05)
    return reload_v, site_v


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
    ap.add_argument('--layout-edits', type=int, default=3)
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
        host, port = m.group(1), int(m.group(2))
        conn, events, (_, ev, data) = open_stream(host, port, None)
        conn.close()
        gen = int(re.search(r'"gen":(\d+)', data).group(1))
        print(f'{len(pages)} pages; first build and serve: {first:.2f} s; RSS {rss_kib(proc.pid) // 1024} MiB')

        rng = random.Random(a.seed)
        kinds = ['body', 'title', 'tags']
        lat = {k: [] for k in kinds}
        allv = []
        site_v = []  # save to the whole site rebuilt
        unpaged = 0  # edits whose page's URL was not found: their stream named none
        time.sleep(1)
        rss = [rss_kib(proc.pid)]
        cold = []
        for i in range(a.edits):
            path = rng.choice(pages)
            url = page_url(site, path)
            if status_of(host, port, url) != 200:
                url = None
                unpaged += 1
            conn, events, _ = open_stream(host, port, url)
            kind = edit(path, kinds[i % 3], i)
            saved = time.monotonic()
            first, t, gen = served(events, gen, f'edit {i} of {path}')
            conn.close()
            ms = (first - saved) * 1000
            lat[kind].append(ms)
            allv.append(ms)
            site_v.append((t - saved) * 1000)
            if (i + 1) % 10 == 0:
                time.sleep(1)  # the previous site is freed just after the event
                rss.append(rss_kib(proc.pid))
                print(f'  {i + 1} edits: RSS {rss[-1] // 1024} MiB')
            if a.cold_every and (i + 1) % a.cold_every == 0:
                # a cold build: no output, spare or caches left by the last one (else it is a rebuild);
                # in memory (/dev/shm) deleted, elsewhere moved aside: on ext4 without a journal the
                # inodes a delete freed slow the next minute's new files (build.py)
                for d in ('cold', '.cold.spare'):
                    if work.startswith('/dev/shm/'):
                        shutil.rmtree(os.path.join(work, d), ignore_errors=True)
                    elif os.path.exists(os.path.join(work, d)):
                        os.rename(os.path.join(work, d), os.path.join(work, 'trash-%d-%s' % (i, d)))
                c0 = time.monotonic()
                r = subprocess.run([a.jixia, 'build', site, '-o', os.path.join(work, 'cold')],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
                if r.returncode == 0:
                    cold.append((time.monotonic() - c0) * 1000)
            # the next save comes once this one is served, as a person edits
            time.sleep(0.05)
        lay = layout_edits(host, port, site, pages, rng, gen, a.layout_edits) if a.layout_edits else None
        print(f'save to the edited page\'s reload over {len(allv)} edits: p50 {pct(allv, 50):.0f} ms, '
              f'p95 {pct(allv, 95):.0f} ms, max {max(allv):.0f} ms'
              + (f' ({unpaged} pages not found by URL: their reload is the commit)' if unpaged else ''))
        print(f'save to the whole site rebuilt: p50 {pct(site_v, 50):.0f} ms, '
              f'p95 {pct(site_v, 95):.0f} ms, max {max(site_v):.0f} ms')
        for k in kinds:
            if lat[k]:
                print(f'  {k} edits ({len(lat[k])}): p50 {pct(lat[k], 50):.0f} ms, p95 {pct(lat[k], 95):.0f} ms')
        if cold:
            c = pct(cold, 50)
            print(f'cold jixia build, {len(cold)} runs between the edits: median {c:.0f} ms; '
                  f'latency p50 {pct(allv, 50) / c:.2f}x, p95 {pct(allv, 95) / c:.2f}x the cold build')
        if lay:
            c = pct(cold, 50) if cold else 0
            print(f'layout edits (layouts/partials/base.html, {len(lay[0])}): save to the open page\'s reload '
                  f'median {pct(lay[0], 50):.0f} ms, to the whole site rebuilt median {pct(lay[1], 50):.0f} ms, '
                  f'max {max(lay[1]):.0f} ms' + (f'; {pct(lay[1], 50) / c:.2f}x the cold build' if c else ''))
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
