#!/usr/bin/env python3
"""incremental.py: a rebuild into an existing output gives exactly a cold build.

A small bilingual site in a git repository takes random edits, step by step,
from fixed seeds (the same steps on every run): pages added, their body,
title or tags edited, renamed, deleted; translations added, edited, deleted;
a template and a UI string of the theme edited; site.yaml edited; commits
between some steps; now and then a broken page (the build fails and the
output must stay as it was) fixed at the next step. After each step the site
is built into the one output that lives through all the steps (the
incremental path: the previous site kept beside and updated, the caches) and
cold into a fresh folder; the two must hold the same files with the same
bytes (`diff -r`: no file missing, none stray, none different).

    JIXIA=build/jixia python3 tests/e2e/incremental.py [SEEDS] [STEPS]

Prints "ok ..." / "FAIL ..." lines and "incremental: N passed, N failed".
INCR_DRIVER, when set, names a program that keeps one incremental state
between builds (serve's engine): it reads "build OUT" lines on stdin and
answers "done RC ..." for each (seven fields); the steps are then built
through it as well.
"""
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time

JIXIA = os.environ.get("JIXIA", "build/jixia")
HERE = os.path.dirname(os.path.abspath(__file__))
THEME = os.path.join(HERE, "..", "..", "layouts")
SEEDS = [int(s) for s in (sys.argv[1].split(",") if len(sys.argv) > 1 else ["11", "23", "37", "41"])]
STEPS = int(sys.argv[2]) if len(sys.argv) > 2 else 15

WORDS = """postgres index vacuum replication planner query table partition
extension bloat checkpoint wal lock latency throughput tuning memory cache
community meetup talk speaker slides schema migration backup restore""".split()
ZH = "数据库 索引 性能 优化 社区 分享 复制 备份 恢复 分区 查询 事务".split()
TAGS = ["performance", "replication", "backup", "vacuum", "gis", "ai"]
KINDS = ["talks", "faq", "cases", "docs"]

passed = failed = 0
ENV = dict(os.environ, CI="1")


def ok(name):
    global passed
    passed += 1
    print("ok " + name)


def fail(name, why=""):
    global failed
    failed += 1
    print("FAIL " + name + (": " + why if why else ""))


class Site:
    """The site on disk and what the edits may pick from."""

    def __init__(self, root, rng):
        self.root = root
        self.rng = rng
        self.n = 0
        self.commits = 0
        self.broken = None  # a page made invalid, fixed at the next step

    def path(self, rel):
        return os.path.join(self.root, rel)

    def write(self, rel, text):
        p = self.path(rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w", encoding="utf-8") as f:
            f.write(text)

    def read(self, rel):
        with open(self.path(rel), encoding="utf-8") as f:
            return f.read()

    def words(self, n, zh=False):
        pool = ZH if zh else WORDS
        return ("" if zh else " ").join(self.rng.choice(pool) for _ in range(n))

    def pages(self, translations=False):
        out = []
        for kind in KINDS:
            d = self.path("content/" + kind)
            for dirpath, _, files in os.walk(d):
                for f in files:
                    rel = os.path.relpath(os.path.join(dirpath, f), self.root)
                    if f.endswith(".zh.md") == translations and f.endswith(".md") and not f.startswith("_index."):
                        out.append(rel)
        return sorted(out)

    def page_text(self, rel, title, zh=False):
        kind = rel.split("/")[1]
        r = self.rng
        fm = ["title: '%s'" % title.replace("'", "''")]
        if kind != "docs":
            fm.append("date: 20%02d-%02d-%02d" % (r.randint(18, 25), r.randint(1, 12), r.randint(1, 28)))
        if kind in ("talks", "faq", "cases") and r.random() < 0.8:
            fm.append("tags: [%s]" % ", ".join(sorted(set(r.choice(TAGS) for _ in range(r.randint(1, 3))))))
        if kind == "talks":
            fm.append("speakers: [%s]" % r.choice(["ada", "bo"]))
        if kind == "cases":
            fm.append("company: Company %d" % r.randint(1, 3))
        body = "\n\n".join(self.words(r.randint(5, 20), zh) + "." for _ in range(r.randint(1, 3)))
        if r.random() < 0.3:  # shown or dropped as site.yaml's markdown: unsafe says
            body += "\n\n<span class=\"raw\">%s</span>" % self.words(2, zh)
        if r.random() < 0.3:
            body += "\n\nSee [%s](%s)." % (title.split()[0], os.path.relpath("content/people/ada.md", os.path.dirname(rel)))
        return "---\n" + "\n".join(fm) + "\n---\n\n## " + self.words(2, zh) + "\n\n" + body + "\n"

    # The edits. Each returns a description, or None when it had nothing to do.
    def add_page(self):
        kind = self.rng.choice(KINDS)
        self.n += 1
        name = "p%03d" % self.n
        rel = "content/%s/%s%s.md" % (kind, "part/" if kind == "docs" and self.rng.random() < 0.5 else "", name)
        self.write(rel, self.page_text(rel, "Page %d %s" % (self.n, self.words(2))))
        return "add " + rel

    def pick(self, translations=False):
        pages = [p for p in self.pages(translations) if p != self.broken]
        return self.rng.choice(pages) if pages else None

    def edit_field(self, field):
        rel = self.pick()
        if rel and field == "tags" and rel.startswith("content/docs/"):
            return None  # docs have no tags: a warning, and no build stamp
        if not rel:
            return None
        lines = self.read(rel).split("\n")
        end = lines.index("---", 1)
        if field == "body":
            lines.append(self.words(self.rng.randint(3, 9)) + ".")
        elif field == "title":
            lines = [("title: 'Retitled %s'" % self.words(2)) if l.startswith("title:") else l for l in lines]
        else:
            lines = [l for l in lines if not l.startswith("tags:")]
            if self.rng.random() < 0.8:
                lines.insert(end, "tags: [%s]" % self.rng.choice(TAGS))
        self.write(rel, "\n".join(lines))
        return "edit %s of %s" % (field, rel)

    def rename(self):
        rel = self.pick()
        if not rel:
            return None
        self.n += 1
        new = os.path.join(os.path.dirname(rel), "r%03d.md" % self.n)
        os.rename(self.path(rel), self.path(new))
        tr = rel[:-3] + ".zh.md"
        if os.path.exists(self.path(tr)):
            os.rename(self.path(tr), self.path(new[:-3] + ".zh.md"))
        return "rename %s to %s" % (rel, new)

    def delete(self):
        rel = self.pick()
        if not rel or len(self.pages()) < 4:
            return None
        os.remove(self.path(rel))
        tr = rel[:-3] + ".zh.md"
        if os.path.exists(self.path(tr)):
            os.remove(self.path(tr))
        return "delete " + rel

    def translate(self):
        rel = self.pick()
        if not rel:
            return None
        tr = rel[:-3] + ".zh.md"
        self.write(tr, self.page_text(tr, "页面 " + self.words(2, True), True))
        return "translate " + rel

    def edit_translation(self):
        rel = self.pick(True)
        if not rel:
            return None
        self.write(rel, self.read(rel) + "\n" + self.words(4, True) + "。\n")
        return "edit translation " + rel

    def delete_translation(self):
        rel = self.pick(True)
        if not rel:
            return None
        os.remove(self.path(rel))
        return "delete translation " + rel

    def edit_template(self):
        rel = "layouts/partials/card.html"
        if not os.path.exists(self.path(rel)):
            self._mk("layouts/partials")
            shutil.copy(os.path.join(THEME, "partials", "card.html"), self.path(rel))
        text = re.sub(r'<div class="card-body"[^>]*>', '<div class="card-body" data-v="%d">' % self.rng.randint(0, 99),
                      self.read(rel), count=1)
        self.write(rel, text)
        return "edit template " + rel

    def _mk(self, d):
        os.makedirs(self.path(d), exist_ok=True)
        return self.path(d)

    def edit_i18n(self):
        rel = "layouts/i18n/en.yaml"
        if not os.path.exists(self.path(rel)):
            self._mk("layouts/i18n")
            shutil.copy(os.path.join(THEME, "i18n", "en.yaml"), self.path(rel))
        lines = self.read(rel).split("\n")
        lines = [("talks: Talks %d" % self.rng.randint(0, 99)) if l.startswith("talks:") else l for l in lines]
        self.write(rel, "\n".join(lines))
        return "edit i18n " + rel

    def edit_config(self):
        text = self.read("site.yaml").split("\n")
        text[0] = "title: Random %s" % self.words(2)
        self.write("site.yaml", "\n".join(text))
        return "edit site.yaml title"

    # Edits that reach outputs other than the page's own: what a list or a
    # referring page shows of it (a summary, a name), what lists count.
    def edit_summary(self):
        rel = self.pick()
        if not rel:
            return None
        text = self.read(rel)
        end = text.index("\n---\n", 3) + 5
        # a first paragraph: the summary a list card shows
        self.write(rel, text[:end] + "\n%s.\n" % self.words(4).capitalize() + text[end:])
        return "edit summary of " + rel

    def edit_person(self):
        pid = self.rng.choice(["ada", "bo"])
        rel = "content/people/%s.md" % pid
        if self.rng.random() < 0.5:
            lines = [("name: %s %s" % (pid.capitalize(), self.words(1))) if l.startswith("name:") else l
                     for l in self.read(rel).split("\n")]
            self.write(rel, "\n".join(lines))
            return "rename person " + rel
        self.write(rel, self.read(rel).replace("\n---\n\n", "\n---\n\n%s. " % self.words(3).capitalize(), 1))
        return "edit body of person " + rel

    def toggle_answer(self):
        faqs = [p for p in self.pages() if p.startswith("content/faq/") and p != self.broken]
        if not faqs:
            return None
        rel = self.rng.choice(faqs)
        text = self.read(rel)
        end = text.index("\n---\n", 4) + 5
        # an empty body is an open question (help wanted, the lists' flags)
        self.write(rel, text[:end] + ("" if text[end:].strip() else "\nAnswered: %s.\n" % self.words(4)))
        return "toggle answer of " + rel

    def edit_date(self):
        """A dated page's date: its lists' order, its year archive, upcoming or past."""
        rel = self.pick()
        if not rel or rel.startswith("content/docs/"):
            return None
        r = self.rng
        date = "date: 20%02d-%02d-%02d" % (r.randint(18, 25), r.randint(1, 12), r.randint(1, 28))
        self.write(rel, re.sub(r"^date: .*$", date, self.read(rel), count=1, flags=re.M))
        return "edit date of %s (%s)" % (rel, date)

    def add_tag(self):
        """One more tag beside a page's own (a term page gains it, the others keep theirs)."""
        rel = self.pick()
        if not rel or rel.startswith("content/docs/"):
            return None
        tag = self.rng.choice(TAGS + ["fresh%d" % self.rng.randint(0, 3)])
        text = self.read(rel)
        if re.search(r"^tags: \[", text, re.M):
            text = re.sub(r"^tags: \[(.*)\]$", lambda m: "tags: [%s]" % ", ".join(sorted(
                set(t.strip() for t in m.group(1).split(",") if t.strip()) | {tag})), text, count=1, flags=re.M)
        else:
            text = text.replace("\n---\n", "\ntags: [%s]\n---\n" % tag, 1)
        self.write(rel, text)
        return "add tag %s to %s" % (tag, rel)

    def edit_speakers(self):
        """Which people a talk names: their pages list it, it shows their names."""
        talks = [p for p in self.pages() if p.startswith("content/talks/") and p != self.broken]
        if not talks:
            return None
        rel = self.rng.choice(talks)
        who = self.rng.choice(["ada", "bo", "ada, bo"])
        self.write(rel, re.sub(r"^speakers: .*$", "speakers: [%s]" % who, self.read(rel), count=1, flags=re.M))
        return "speakers of %s: %s" % (rel, who)

    def edit_intro(self):
        rel = "content/talks/_index.md"
        self.write(rel, "---\ntitle: Talks %d\n---\n\n%s.\n" % (self.rng.randint(0, 99), self.words(6)))
        return "edit intro " + rel
    def edit_markdown(self):
        """site.yaml's markdown options: every page's parse depends on them (the parse cache's key)."""
        text = self.read("site.yaml")
        if "markdown:" in text:
            text = re.sub(r"markdown:.*\n(  .*\n)*", "", text)
            what = "off"
        else:
            text += "markdown:\n  unsafe: true\n"
            what = "on"
        self.write("site.yaml", text)
        return "markdown unsafe " + what

    # Edits a cache of file times could miss (source.h): the same size with
    # the old modification time put back, in place or saved by rename.
    def edit_same_size(self, by_rename=False):
        rel = self.pick()
        if not rel:
            return None
        st = os.stat(self.path(rel))
        lines = self.read(rel).split("\n")
        end = lines.index("---", 1)
        words = [k for k in range(end + 1, len(lines)) if re.fullmatch(r"[a-z][a-z .]+", lines[k])]
        if not words:
            return None
        k = words[-1]
        to = self.rng.choice("abcdefgh")
        lines[k] = "".join((to if c != to else "z") if c.isalpha() else c for c in lines[k])
        text = "\n".join(lines)
        p = self.path(rel) + (".swp" if by_rename else "")
        with open(p, "w", encoding="utf-8") as f:
            f.write(text)
        os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns))
        if by_rename:
            os.rename(p, self.path(rel))
        return "same-size edit%s of %s" % (" saved by rename" if by_rename else "", rel)

    def break_page(self):
        rel = self.pick()
        if not rel:
            return None
        self.write(rel, self.read(rel).replace("title:", "title: [unclosed", 1))
        self.broken = rel
        return "break " + rel

    def fix(self):
        rel = self.broken
        self.write(rel, self.read(rel).replace("title: [unclosed", "title:", 1))
        self.broken = None
        return "fix " + rel

    def commit(self, msg):
        self.commits += 1
        date = "2024-01-%02dT12:00:00Z" % min(28, self.commits)
        env = dict(os.environ, GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
        subprocess.run(["git", "-C", self.root, "add", "-A"], check=True)
        subprocess.run(["git", "-C", self.root, "commit", "-q", "--allow-empty", "-m", msg], check=True, env=env)


def make_site(root, rng):
    s = Site(root, rng)
    os.makedirs(root)
    s.write("site.yaml", "title: Random site\nbase_url: https://example.org/\nlanguages:\n"
            "  - {code: en, name: English, default: true}\n  - {code: zh, name: 中文}\n"
            "taxonomies: [tags, speakers]\n")
    for pid, name in (("ada", "Ada"), ("bo", "Bo")):
        s.write("content/people/%s.md" % pid, "---\nname: %s\n---\n\n%s.\n" % (name, s.words(5)))
    for _ in range(8):
        s.add_page()
    s.translate()
    subprocess.run(["git", "init", "-q", "-b", "main", root], check=True)
    subprocess.run(["git", "-C", root, "config", "user.name", "Test Author"], check=True)
    subprocess.run(["git", "-C", root, "config", "user.email", "test@example.org"], check=True)
    s.commit("first")
    return s


def build(site, out, jobs, now):
    args = [JIXIA, "build", site, "-o", out, "-j", str(jobs)]
    if now:
        args += ["--now", now]
    r = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV)
    return r.returncode, r.stderr.decode("utf-8", "replace")


def snapshot(d):
    """Every file under d with its bytes, for "the output stayed as it was"."""
    out = {}
    for dirpath, _, files in os.walk(d):
        for f in files:
            p = os.path.join(dirpath, f)
            with open(p, "rb") as fh:
                out[os.path.relpath(p, d)] = fh.read()
    return out


# The outputs of the kinds that rendered on every rebuild before they had
# records of what they read (rerender.h): the search page, /insights/,
# /contributors/ and its years, 404. Now they render only when what they show
# changed, so no bound below counts them in.
ALWAYS = re.compile(r"^(zh/)?(search|insights|contributors)/|^(zh/)?404\.html$")


def html_files(d):
    """Each HTML file of a built site, by path, with its text."""
    out = {}
    for rel, data in snapshot(d).items():
        if rel.endswith(".html"):
            out[rel] = data.decode("utf-8", "replace")
    return out


def start_driver(root):
    """incr_driver on the site at root: serve's kept state, one build per line asked."""
    return subprocess.Popen([os.environ["INCR_DRIVER"], root], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, universal_newlines=True)


def driver_build(driver, out, now=None):
    """One build through the driver into out ("-": kept in memory); its answer's fields."""
    driver.stdin.write("build %s %s\n" % (out, now or "-"))
    driver.stdin.flush()
    return driver.stdout.readline().split()


def cold_diff(root, cold, out, now=None):
    """A cold build of root into cold (emptied first) compared with out: its exit code and diff's result."""
    shutil.rmtree(cold, ignore_errors=True)
    crc, _ = build(root, cold, 2, now)
    return crc, subprocess.run(["diff", "-r", cold, out], stdout=subprocess.PIPE, universal_newlines=True)


def built_as_cold(driver, root, out, cold, what, fields):
    """One driver build into out and a cold build into cold: the driver's
    answer when both succeeded with the same output and it has at least
    fields fields, else None (reported as a failure of what)."""
    line = driver_build(driver, out)
    crc, d = cold_diff(root, cold, out)
    if len(line) < fields or line[:2] != ["done", "0"] or crc != 0 or d.returncode != 0:
        fail(what, "driver %s, cold exit %d\n%s" % (" ".join(line), crc, d.stdout[:2000]))
        return None
    return line


def page_files(site):
    """The site's pages: its Markdown files under content/ but the _index ones."""
    return sum(1 for dp, _, fs in os.walk(site.path("content")) for f in fs
               if f.endswith(".md") and not f.startswith("_"))


def check_rerender(tmp):
    """Through the driver: an edit renders again only the outputs that show
    what it changed, and the result is still the cold build's. The bound of
    each edit comes from the cold builds before and after it: the HTML files
    that changed and those that show the edited page's title (its own, the
    lists, terms and pages that name it); a rebuild with nothing changed
    renders none; an edit of site.yaml renders all."""
    site = make_site(os.path.join(tmp, "rerender"), random.Random(7))
    out = os.path.join(tmp, "rerender-out")
    cold = os.path.join(tmp, "rerender-cold")
    drv = start_driver(site.root)
    state = {"html": {}}

    def step(name, now=None):
        line = driver_build(drv, out, now)
        crc, d = cold_diff(site.root, cold, out, now)
        if len(line) < 10 or line[1] != "0" or crc != 0 or d.returncode != 0:
            fail(name, "driver %s, cold exit %d\n%s" % (" ".join(line), crc, d.stdout[:2000]))
            return None
        state["feeds"] = int(line[7]) if len(line) > 7 else -1
        state["digested"] = int(line[11]) if len(line) > 11 else -1
        return int(line[3]), int(line[4])

    def feeds(d):
        """The feeds stage's files that may be shared: Atom feeds, calendars, events."""
        return set(p for p in snapshot(d) if p.endswith("atom.xml") or p.endswith(".ics"))

    def feeds_bounded(name, edit, shows, now=None):
        """Applies edit, builds: the feeds made again must be among those
        the cold builds changed or that show one of the texts in shows."""
        before = {p: v for p, v in snapshot(cold).items() if p in feeds(cold)}
        texts = [t for t in shows() if t]
        edit()
        texts += [t for t in shows() if t]
        if not step("rerender: " + name, now):
            return
        after = {p: v for p, v in snapshot(cold).items() if p in feeds(cold)}
        state["html"] = html_files(cold)
        may = set(p for p in after if before.get(p) != after[p] and not p.endswith(".ics"))
        may |= set(p for p in after if any(t.encode() in after[p] or t.encode() in before.get(p, b"")
                                           for t in texts))
        made = len(after) - state["feeds"]
        if state["feeds"] >= 0 and made <= len(may) < len(after):
            ok("rerender: %s made %d of %d feeds again (at most %d show it)" % (name, made, len(after), len(may)))
        else:
            fail("rerender: %s made %d of %d feeds again, more than the %d that may show it"
                 % (name, made if state["feeds"] >= 0 else len(after), len(after), len(may)))

    def bounded(name, edit, shows):
        """Applies edit, builds; the outputs rendered must be among the cold
        builds' changed files and the files that show one of the texts in
        shows (as they were and as they are)."""
        before = state["html"]
        texts = [t for t in shows() if t]
        edit()
        texts += [t for t in shows() if t]
        got = step("rerender: " + name)
        after = state["html"] = html_files(cold)
        if not got:
            return
        may = set(p for p in after if before.get(p) != after[p])
        may |= set(p for p in after if any(t in after[p] for t in texts))
        may |= set(p for p in before if any(t in before[p] for t in texts))
        total = got[0] + got[1]
        if got[0] <= len(may) < total:
            ok("rerender: %s rendered %d of %d outputs (at most %d show it)" % (name, got[0], total, len(may)))
        else:
            fail("rerender: %s rendered %d of %d outputs, more than the %d that may show it"
                 % (name, got[0], total, len(may)))

    def title_of(rel):
        m = re.search(r"^title: '(.*)'$", site.read(rel), re.M)
        return m.group(1).replace("''", "'") if m else None

    def front(rel, fn):
        """Edits the front matter lines of rel with fn (a list of lines in, out)."""
        text = site.read(rel)
        end = text.index("\n---\n", 3)
        lines = fn(text[4:end].split("\n"))
        site.write(rel, "---\n" + "\n".join(lines) + text[end:])

    def digested(got, name, want):
        """The render stage digested the file and parse result of the pages whose file changed
        (want), the others' digests kept: its bookkeeping follows the change."""
        if not got:
            return
        if state["digested"] == want:
            ok("rerender: %s digested %d pages' files and parse results" % (name, want))
        else:
            fail("rerender: %s digested %d pages' files and parse results, not %d"
                 % (name, state["digested"], want))

    try:
        # the site's files in a clock tick well before the walk's, or the next walk
        # reads them again as racy (source.c) and digests them again (0.05 s margin)
        time.sleep(0.2)
        first = step("rerender: first build")
        state["html"] = html_files(cold)
        # nothing changed: nothing renders, the kinds that once always did
        # (ALWAYS: search, 404, /contributors/ and its years, /insights/) among them
        same = step("rerender: a rebuild with nothing changed")
        kinds = sorted(set(ALWAYS.search(p).group(0) for p in state["html"] if ALWAYS.search(p)))
        if same and same[0] == 0 and len(kinds) >= 4:
            ok("rerender: a rebuild with nothing changed rendered none of %d outputs (%s kept)"
               % (same[1], ", ".join(kinds)))
        elif same:
            fail("rerender: a rebuild with nothing changed rendered %d of %d outputs (the site has %s)"
                 % (same[0], same[0] + same[1], ", ".join(kinds)))
        digested(same, "a rebuild with nothing changed", 0)
        talk = [p for p in site.pages() if p.startswith("content/talks/")][0]
        site.write(talk, site.read(talk) + "\nOne more paragraph about %s.\n" % site.words(3))
        body = step("rerender: body edit of " + talk)
        state["html"] = html_files(cold)
        digested(body, "a body edit of one page", 1)
        # a body edit past the summary, of a page its lists and terms show: only what changed renders
        # (a term page's structured data holds no item's body)
        case1 = [p for p in site.pages() if p.startswith("content/cases/")][0]
        bounded("body edit of " + case1, lambda: site.write(case1, site.read(case1) + "\nMore about %s.\n"
                                                            % site.words(3)), lambda: [])
        case = [p for p in site.pages() if p.startswith("content/cases/")][0]
        case2 = [p for p in site.pages() if p.startswith("content/cases/")][1]
        bounded("title edit of " + case, lambda: front(case, lambda ls: [
            "title: 'Retitled case %s'" % site.words(2) if l.startswith("title:") else l for l in ls]),
            lambda: [title_of(case)])
        bounded("tag added to " + case2, lambda: front(case2, lambda ls: [
            l for l in ls if not l.startswith("tags:")] + ["tags: [gis, newtag]"]), lambda: [title_of(case2)])
        bounded("tag removed from " + case2, lambda: front(case2, lambda ls: [
            "tags: [gis]" if l.startswith("tags:") else l for l in ls]), lambda: [title_of(case2)])
        # a date in the same year: the year archives stay, the lists' order may change
        bounded("date change of " + case, lambda: front(case, lambda ls: [
            re.sub(r"-\d\d-\d\d$", "-01-01", l) if l.startswith("date:") else l for l in ls]),
            lambda: [title_of(case)])
        bounded("summary change of " + case2, lambda: site.write(case2, site.read(case2).replace(
            "\n---\n\n", "\n---\n\nA new first paragraph %s.\n\n" % site.words(3), 1)),
            lambda: [title_of(case2)])
        # the pages that name a person by their page's title (talks' speakers, the speakers' terms):
        # first a name no other text holds, then its edit
        def rename_bo(name):
            front("content/people/bo.md", lambda ls: ["name: " + name if l.startswith("name:") else l for l in ls])
        rename_bo("Bo Zhaoqianli")
        step("rerender: a person renamed")
        state["html"] = html_files(cold)
        bounded("title edit of a person that talks refer to", lambda: rename_bo("Bo Sunzhouwu"),
                lambda: [re.search(r"^name: (.*)$", site.read("content/people/bo.md"), re.M).group(1)])
        # feeds: an event (its calendar and the language's), then edits
        site.write("content/events/ev1.md", "---\ntitle: 'Meetup one'\ndate: 2030-05-01\nkind: meetup\n"
                   "city: Hangzhou\ntags: [gis]\n---\n\n%s.\n" % site.words(6))
        site.write("content/events/ev2.md", "---\ntitle: 'Meetup two'\ndate: 2031-06-01\nkind: salon\n"
                   "city: Beijing\ntags: [ai]\n---\n\n%s.\n" % site.words(6))
        step("rerender: events added", "1717200000")
        feeds_bounded("body edit of " + case2 + " (feeds)", lambda: site.write(
            case2, site.read(case2) + "\nMore about %s.\n" % site.words(3)), lambda: [title_of(case2)],
            "1717200000")
        feeds_bounded("title edit of an event (feeds)", lambda: front("content/events/ev1.md", lambda ls: [
            "title: 'Meetup one %s'" % site.words(1) if l.startswith("title:") else l for l in ls]),
            lambda: [title_of("content/events/ev1.md")], "1717200000")
        # a minute later, nothing edited since a commit: the calendars are the last ones with the new
        # time in them (an uncommitted page's date is the build time: those show it)
        site.commit("events")
        step("rerender: a commit", "1717200000")
        feeds_bounded("a rebuild a minute later (feeds)", lambda: None, lambda: [], "1717200060")
        lines = site.read("site.yaml").split("\n")
        lines[0] = "title: Another title"
        site.write("site.yaml", "\n".join(lines))
        config = step("rerender: site.yaml edit")
        if first and body:
            total = body[0] + body[1]
            if body[1] > 0 and body[0] * 2 < total:
                ok("rerender: a body edit rendered %d of %d outputs" % (body[0], total))
            else:
                fail("rerender: a body edit rendered %d of %d outputs, not fewer than half" % (body[0], total))
        if config:
            if config[1] == 0:
                ok("rerender: a site.yaml edit rendered all %d outputs" % config[0])
            else:
                fail("rerender: a site.yaml edit kept %d outputs" % config[1])
    finally:
        drv.stdin.close()
        drv.wait()


def parse_counts(tmp):
    """Through the driver: how many pages each rebuild parses (the rest come from the parse cache)."""
    site = make_site(os.path.join(tmp, "counts"), random.Random(5))
    out = os.path.join(tmp, "counts-out")
    driver = start_driver(site.root)

    def parsed():
        line = driver_build(driver, out)
        return int(line[5]) if len(line) >= 10 and line[:2] == ["done", "0"] else "%r" % line

    ALL = -1  # every page: the files counted when the step is built
    steps = [("first build", None, ALL), ("no edit", None, 0),
             ("one page's body", lambda: site.edit_field("body"), 1),
             ("another page's title", lambda: site.edit_field("title"), 1),
             ("a template", site.edit_template, 0),
             ("site.yaml's markdown options", site.edit_markdown, ALL),
             ("a translation added", site.translate, 1),
             ("a page deleted", site.delete, 0),
             ("a UI string (callouts' labels)", site.edit_i18n, ALL),
             ("site.yaml's markdown options back", site.edit_markdown, ALL)]
    try:
        for name, edit, want in steps:
            if edit:
                edit()
            if want == ALL:
                want = len([f for _, _, fs in os.walk(site.path("content")) for f in fs if f.endswith(".md")])
            got = parsed()
            if got == want:
                ok("parse cache: %s: %d pages parsed" % (name, want))
            else:
                fail("parse cache: %s" % name, "parsed %s, want %d" % (got, want))
    finally:
        driver.stdin.close()
        driver.wait()


def source_reads(tmp):
    """Through the driver: how many files each rebuild reads from disk (the
    rest are the source cache's, source.h), and each rebuild equals a cold
    build, through the edits that could fool a cache of file times: a
    same-size edit with the old modification time put back, an editor's
    save by rename (a new inode, the old times), a page swapped for a
    symbolic link (never followed). Each edit is
    older than the walk after it by more than the cache's margin for a
    change in the walk's own clock tick (a racy file is read again)."""
    site = make_site(os.path.join(tmp, "reads"), random.Random(9))
    out = os.path.join(tmp, "reads-out")
    cold = os.path.join(tmp, "reads-cold")
    driver = start_driver(site.root)

    def files():
        n = 0
        for top in ("site.yaml", ".mailmap", "content", "layouts", "assets", "static"):
            p = site.path(top)
            if os.path.isfile(p) and not os.path.islink(p):
                n += 1
            for dirpath, dirs, fs in os.walk(p):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                n += len([f for f in fs if not f.startswith(".") and os.path.isfile(os.path.join(dirpath, f))
                          and not os.path.islink(os.path.join(dirpath, f))])
        return n

    def swapped(rel, to="x"):
        """The page's text with its last line's letters changed, the same size."""
        text = site.read(rel)
        i = text.rindex("\n", 0, len(text) - 1) + 1
        return text[:i] + "".join((to if c != to else "y") if c.isalpha() else c for c in text[i:])

    def same_size(rel):
        """Written in place, the same size, the modification time put back."""
        st = os.stat(site.path(rel))
        site.write(rel, swapped(rel))
        os.utime(site.path(rel), ns=(st.st_atime_ns, st.st_mtime_ns))
        return rel

    def rename_save(rel):
        """Written beside and renamed over the page (what editors do), the same size, the old times kept."""
        st = os.stat(site.path(rel))
        text = swapped(rel, "z")
        tmpf = site.path(rel) + ".swp"
        with open(tmpf, "w", encoding="utf-8") as f:
            f.write(text)
        os.utime(tmpf, ns=(st.st_atime_ns, st.st_mtime_ns))
        os.rename(tmpf, site.path(rel))
        return rel

    def to_link(rel):
        other = [p for p in site.pages() if p != rel][0]
        os.remove(site.path(rel))
        os.symlink(os.path.abspath(site.path(other)), site.path(rel))
        return rel

    ALL = -1
    page = site.pages()[0]
    steps = [("first build", None, ALL), ("no edit", None, 0),
             ("one page's body", lambda: site.edit_field("body"), 1),
             ("a same-size edit, modification time put back", lambda: same_size(page), 1),
             ("a save by rename, times put back", lambda: rename_save(page), 1),
             ("a template added", site.edit_template, 1),
             ("a translation added", site.translate, 1),
             ("a page deleted", site.delete, 0),
             ("a page swapped for a symbolic link", lambda: to_link(site.pages()[-1]), 0),
             ("the link made a page again", lambda: (os.remove(site.path(site.pages()[-1])),
                                                    site.add_page()), 1),
             ("site.yaml", site.edit_config, 1),
             ("no edit again", None, 0)]
    try:
        for name, edit, want in steps:
            if edit:
                edit()
            # the edit is in a clock tick well before the walk's (0.05 s margin)
            time.sleep(0.2)
            if want == ALL:
                want = files()
            line = driver_build(driver, out)
            crc, d = cold_diff(site.root, cold, out)
            if len(line) < 10 or line[1] != str(crc) or d.returncode != 0:
                fail("source cache: %s" % name, "driver %s, cold exit %d\n%s" % (" ".join(line), crc, d.stdout[:2000]))
            elif int(line[8]) != want:
                fail("source cache: %s" % name, "read %s files, want %d" % (line[8], want))
            else:
                ok("source cache: %s: %d files read, equal to a cold build" % (name, want))
    finally:
        driver.stdin.close()
        driver.wait()



def index_counts(tmp):
    """Through the driver: how many pages each rebuild's search index tokenizes again (the
    rest keep their postings from the index before), and the output still the cold build's."""
    site = make_site(os.path.join(tmp, "index"), random.Random(3))
    out = os.path.join(tmp, "index-out")
    driver = start_driver(site.root)

    compared = {}

    def indexed(name):
        line = driver_build(driver, out)
        crc, d = cold_diff(site.root, os.path.join(tmp, "index-cold"), out)
        if len(line) < 10 or line[:2] != ["done", "0"] or crc != 0 or d.returncode != 0:
            fail("search index: " + name, "driver %s, cold exit %d\n%s" % (" ".join(line), crc, d.stdout[:2000]))
            return None
        compared[name] = int(line[10]) if len(line) > 10 else None
        return int(line[9])

    def alone():
        """A page with no translation and no page linking to it."""
        return [p for p in site.pages() if not os.path.exists(site.path(p[:-3] + ".zh.md"))][0]

    def body(word):
        rel = alone()
        site.write(rel, site.read(rel) + "\n%s about %s.\n" % (word, site.words(3)))

    def unbody(word):
        rel = alone()
        site.write(rel, "\n".join(l for l in site.read(rel).split("\n") if not l.startswith(word)))

    def rename():
        rel = alone()
        os.rename(site.path(rel), site.path(os.path.join(os.path.dirname(rel), "renamed.md")))

    def delete():
        os.remove(site.path(alone()))

    def title():
        rel = alone()
        site.write(rel, re.sub(r"^title: .*$", "title: 'Zyxwvut retitled'", site.read(rel), count=1, flags=re.M))

    ALL = -1  # every page: the first build's count
    steps = [("first build", None, ALL), ("no edit", None, 0),
             ("a body edit with a new word", lambda: body("Quuxplorer"), 1),
             ("the new word taken out", lambda: unbody("Quuxplorer"), 1),
             ("a title edit", title, 1),
             ("a page added", site.add_page, 1),
             ("a page deleted", delete, 0),
             ("a page renamed", rename, 1),
             ("a template", site.edit_template, 0)]
    first = None
    try:
        for name, edit, want in steps:
            if edit:
                edit()
            # well before the walk's clock tick, so no file is read again as
            # racy (a loaded machine would make the count of compared pages vary)
            time.sleep(0.2)
            got = indexed(name)
            if got is None:
                continue
            if want == ALL:
                first = got
                if got > 5:
                    ok("search index: %s: %d pages indexed" % (name, got))
                else:
                    fail("search index: %s" % name, "indexed %d pages" % got)
            elif got == want:
                ok("search index: %s: %d pages indexed again of %s" % (name, got, first))
            else:
                fail("search index: %s" % name, "indexed %d pages again, want %d" % (got, want))
            # the pages read whole to be compared with the index before: the
            # changed ones; the others are known by their file's read (a
            # template is another file: every page is compared then)
            most = 2
            if name in ("first build", "a template"):
                continue
            if compared.get(name) is None or compared[name] > most:
                fail("search index: %s: pages compared" % name, "compared %s pages, want at most %d"
                     % (compared.get(name), most))
            else:
                ok("search index: %s: %d pages compared, the others known by their file" % (name, compared[name]))
    finally:
        driver.stdin.close()
        driver.wait()



def model_counts(tmp):
    """Through the driver: the model checks the fields of the pages whose
    front matter changed only (driver field 13; the others take their checks
    from the load before); it makes the taxonomy terms again only when the
    published pages are others, or a term an edit touched may change its name
    or the page it leads to (field 14: 1 made, 0 kept or patched: a tag edit
    moves its page between the terms of the load before); and it gathers the
    raw terms of the pages relinked only and of those naming them (field 21);
    the output is the cold build's after each edit."""
    site = make_site(os.path.join(tmp, "model"), random.Random(5))
    # the author of every commit: a year in review (/people/tester/2024/) lists the pages written by title
    site.write("content/people/tester.md", "---\nname: Tester\ngit_emails: [test@example.org]\n---\n\nWrites.\n")
    site.commit("tester")
    out = os.path.join(tmp, "model-out")
    driver = start_driver(site.root)

    def counts(name):
        line = built_as_cold(driver, site.root, out, os.path.join(tmp, "model-cold"), "model: " + name, 21)
        if not line:
            return None, None, None
        return int(line[12]), int(line[13]), int(line[20])

    def tagged():
        return [p for p in site.pages() if not p.startswith("content/docs/")
                and re.search(r"^tags: \[", site.read(p), re.M)][0]

    def body():
        rel = tagged()
        site.write(rel, site.read(rel) + "\nA new paragraph about %s.\n" % site.words(3))

    def title():
        """Shown by the page's lists and terms, and by its author's year in review."""
        rel = tagged()
        site.write(rel, re.sub(r"^title: .*$", "title: 'Retitled by the model test'", site.read(rel), count=1,
                               flags=re.M))

    def tag():
        rel = tagged()
        site.write(rel, re.sub(r"^tags: \[", "tags: [modeltag, ", site.read(rel), count=1, flags=re.M))

    def tag_gone():
        """The only page of a term leaves it, and joins a term the load before had."""
        rel = tagged()
        site.write(rel, re.sub(r"^tags: \[modeltag, ", "tags: [gis, ai, ", site.read(rel), count=1, flags=re.M))

    def tag_case():
        """A term written another way by one page: which page names it first decides its name."""
        rel = [p for p in site.pages() if p != tagged() and not p.startswith("content/docs/")
               and re.search(r"^tags: \[", site.read(p), re.M)][-1]
        site.write(rel, re.sub(r"^tags: \[", "tags: [Gis, ", site.read(rel), count=1, flags=re.M))

    def speaker():
        """A person's name is the name of their speakers' term: the talks naming them gather again."""
        rel = "content/people/bo.md"
        site.write(rel, re.sub(r"^name: .*$", "name: Bo Renamed", site.read(rel), count=1, flags=re.M))

    def delete():
        os.remove(site.path([p for p in site.pages() if p != tagged() and not p.startswith("content/people/")
                             and not os.path.exists(site.path(p[:-3] + ".zh.md"))][0]))

    ALL, ANY, SOME = -1, -2, -3  # every page (the first build's count); not checked; more than one
    steps = [("first build", None, ALL, 1, ALL), ("no edit", None, 0, 0, 0), ("a body edit", body, 1, 0, 1),
             ("a title edit", title, 1, 0, 1), ("a tag edit", tag, 1, 0, 1), ("a term's last page gone", tag_gone, 1, 0, 1),
             ("a term written another way", tag_case, 1, 1, 1), ("a speaker renamed", speaker, 1, 1, SOME),
             ("a template", site.edit_template, 0, 0, 0), ("a page deleted", delete, 0, 1, ALL)]
    first = None
    try:
        for name, edit, want, terms, gathered in steps:
            if edit:
                edit()
            time.sleep(0.2)
            got, made, gath = counts(name)
            if got is None:
                continue
            first = first or gath
            if gathered == gath or gathered == ALL and gath >= first - 1 or gathered == SOME and 1 < gath < first:
                ok("model: %s: raw terms of %d pages gathered" % (name, gath))
            else:
                fail("model: %s: raw terms" % name, "gathered %d pages, want %s" % (gath, gathered))
            if want == ALL and got > 5 or got == want:
                ok("model: %s: %d pages checked, equal to a cold build" % (name, got))
            else:
                fail("model: %s" % name, "checked %d pages, want %s" % (got, "all" if want == ALL else want))
            if terms == ANY:
                continue
            if made == terms:
                ok("model: %s: terms %s" % (name, "made" if made else "kept or patched"))
            else:
                fail("model: %s: terms" % name, "made %d, want %d" % (made, terms))
    finally:
        driver.stdin.close()
        driver.wait()


def people_counts(tmp):
    """Through the driver: the model's people part finds the file of each
    page in the kept history walk once; the next load looks up by path only
    the pages whose file was read again or that came since (driver field 17;
    the others are the same file read, in about the same place, pages added
    or removed before them included); a commit is a new walk (every page
    again). The listings sort a language's pages only when the last
    build's order no longer holds them in order (field 18: languages sorted;
    a body edit sorts none; a date moved earlier than every other keeps
    nothing of that language's order), and the plan sorts its outputs by file
    only when their number changed or the last order no longer holds (field
    19). The output is the cold build's after each edit."""
    site = make_site(os.path.join(tmp, "people"), random.Random(11))
    out = os.path.join(tmp, "people-out")
    driver = start_driver(site.root)
    ALL, ANY = -1, -2

    def body():
        rel = site.pick()
        site.write(rel, site.read(rel) + "\nA new paragraph about %s.\n" % site.words(3))

    def dated():
        return sorted(p for p in site.pages() if re.search(r"^date: ", site.read(p), re.M))

    def oldest():
        """The newest dated page becomes the oldest: the order must change."""
        rel = max(dated(), key=lambda p: re.search(r"^date: (.*)$", site.read(p), re.M).group(1))
        site.write(rel, re.sub(r"^date: .*$", "date: 2001-01-01", site.read(rel), count=1, flags=re.M))

    def delete():
        os.remove(site.path([p for p in site.pages() if not p.startswith("content/people/")
                             and not os.path.exists(site.path(p[:-3] + ".zh.md"))][0]))

    # (name, edit, pages looked up, languages sorted, the plan sorted)
    steps = [("first build", None, ALL, ALL, 1), ("no edit", None, 0, 0, 0), ("a body edit", body, 1, 0, 0),
             ("a date moved first", oldest, 1, ALL, ANY), ("a page added", site.add_page, 1, ANY, 1),
             ("two pages added", lambda: [site.add_page(), site.add_page()], 2, ANY, 1),
             ("a page deleted", delete, 0, ANY, 1), ("a commit", lambda: site.commit("people"), ALL, ANY, ANY),
             ("after the commit", None, 0, 0, 0)]
    try:
        for name, edit, want, sorts, plan in steps:
            if edit:
                edit()
            time.sleep(0.2)
            line = built_as_cold(driver, site.root, out, os.path.join(tmp, "people-cold"), "people: " + name, 19)
            if not line:
                continue
            got, sorted_, plan_sorted = int(line[16]), int(line[17]), int(line[18])
            if plan != ANY and plan_sorted == plan:
                ok("people: %s: the plan %s" % (name, "sorted" if plan else "kept its order"))
            elif plan != ANY:
                fail("people: %s: plan" % name, "sorted %d, want %d" % (plan_sorted, plan))
            npages = page_files(site)
            if (want == ALL and got == npages) or got == want:
                ok("people: %s: %d pages looked up in the walk, equal to a cold build" % (name, got))
            else:
                fail("people: %s" % name, "looked up %d pages, want %s" % (got, npages if want == ALL else want))
            if sorts == ANY:
                continue
            if (sorts == ALL and sorted_ > 0) or sorted_ == sorts:
                ok("people: %s: %d languages' pages sorted" % (name, sorted_))
            else:
                fail("people: %s: sorted" % name, "%d languages, want %s" % (sorted_, "some" if sorts == ALL else sorts))
    finally:
        driver.stdin.close()
        driver.wait()


def links_counts(tmp):
    """Through the driver: the links are checked again only on the pages
    whose body or front matter changed, and on the pages whose links'
    #fragments name a page whose headings changed (driver field 20: pages
    checked); a new page, a site.yaml edit check every page; the output,
    or the failure, is the cold build's after each edit."""
    site = make_site(os.path.join(tmp, "links"), random.Random(11))
    site.write("content/talks/target.md", "---\ntitle: Target\ndate: 2024-01-02\nspeakers: [ada]\n---\n\n## Target heading\n\nText.\n")
    site.write("content/faq/linker.md", "---\ntitle: Linker\ndate: 2024-01-03\n---\n\nSee [the target](../talks/target.md#target-heading)"
               " and [again](/talks/target/#target-heading).\n")
    site.commit("links")
    out = os.path.join(tmp, "links-out")
    driver = start_driver(site.root)

    def target(heading):
        site.write("content/talks/target.md", "---\ntitle: Target\ndate: 2024-01-02\nspeakers: [ada]\n---\n\n## %s\n\nText %s.\n"
                   % (heading, site.words(3)))

    def other_body():
        rel = [p for p in site.pages() if p not in ("content/talks/target.md", "content/faq/linker.md")][0]
        site.write(rel, site.read(rel) + "\nA new paragraph about %s.\n" % site.words(3))

    ALL = -1  # every page (more than a few)
    steps = [("first build", None, ALL, 0), ("no edit", None, 0, 0), ("another page's body", other_body, 1, 0),
             ("a template", site.edit_template, 0, 0),
             ("the target's body, its headings the same", lambda: target("Target heading"), 1, 0),
             ("the target's heading renamed: the linker's #fragments broken", lambda: target("Renamed"), 2, 1),
             ("the heading back", lambda: target("Target heading"), 2, 0),
             ("a page added", site.add_page, ALL, 0), ("site.yaml", site.edit_markdown, ALL, 0)]
    try:
        for name, edit, want, rc in steps:
            if edit:
                edit()
            line = driver_build(driver, out)
            crc, d = cold_diff(site.root, os.path.join(tmp, "links-cold"), out)
            if len(line) < 20 or line[1] != str(rc) or (crc != 0) != (rc != 0) or (rc == 0 and d.returncode != 0):
                fail("links: " + name, "driver %s, cold exit %d\n%s" % (" ".join(line), crc, d.stdout[:2000]))
                continue
            got = int(line[19])
            if want == ALL and got > 5 or got == want:
                ok("links: %s: %d pages checked, %s" % (name, got, "as a cold build" if rc == 0 else "failing as a cold build"))
            else:
                fail("links: %s" % name, "checked %d pages, want %s" % (got, "all" if want == ALL else want))
    finally:
        driver.stdin.close()
        driver.wait()


def model_layout(tmp):
    """Through the driver: the published pages are the same (a layout), so the
    model takes what the pages not edited made in the load before; an edited
    page whose address (slug) moves onto another page's is still an error, the
    cold build's (the same messages); fixed, the output is the cold build's; a talk whose
    speaker changes moves between the speakers' terms; an edit that drafts a
    page changes the layout."""
    site = make_site(os.path.join(tmp, "layout"), random.Random(29))
    out = os.path.join(tmp, "layout-out")
    cold = os.path.join(tmp, "layout-cold")
    errs = os.path.join(tmp, "layout-errs")
    with open(errs, "w") as f:
        driver = subprocess.Popen([os.environ["INCR_DRIVER"], site.root], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=f, universal_newlines=True)
    talks = [p for p in site.pages() if p.startswith("content/talks/")]
    faqs = [p for p in site.pages() if p.startswith("content/faq/")]
    pair = talks[:2] if len(talks) > 1 else faqs[:2]

    def slug(rel, value):
        text = re.sub(r"^slug: .*\n", "", site.read(rel), flags=re.M)
        site.write(rel, text.replace("---\n", "---\nslug: %s\n" % value, 1) if value else text)

    def step(name, want_rc):
        time.sleep(0.2)
        seen = os.path.getsize(errs)
        line = driver_build(driver, out)
        with open(errs, encoding="utf-8", errors="replace") as f:
            f.seek(seen)
            got = f.read()
        if want_rc != 0:
            shutil.rmtree(cold, ignore_errors=True)
            crc, cerr = build(site.root, cold, 2, None)
            want = sorted(l for l in cerr.splitlines() if ": error: " in l)
            have = sorted(l for l in got.splitlines() if ": error: " in l)
        else:
            crc, d = cold_diff(site.root, cold, out)
        if len(line) < 2 or line[0] != "done":
            fail("layout: " + name, "driver answered %r" % line)
        elif want_rc != 0:
            if line[1] != "0" and crc != 0 and want and want == have:
                ok("layout: %s: the driver fails with the cold build's errors" % name)
            else:
                fail("layout: " + name, "driver exit %s, cold exit %d, want both to fail with\n%s\ngot\n%s"
                     % (line[1], crc, "\n".join(want), "\n".join(have)))
        elif line[1] == "0" and crc == 0 and d.returncode == 0:
            ok("layout: %s: equal to a cold build" % name)
        else:
            fail("layout: " + name, "driver %s, cold exit %d\n%s" % (" ".join(line), crc, d.stdout[:2000]))

    try:
        step("first build", 0)
        if len(pair) < 2:
            fail("layout: the site has no two pages of one type")
            return
        other = os.path.splitext(os.path.basename(pair[1]))[0]
        slug(pair[0], other)
        step("a slug onto another page's address", 1)
        slug(pair[0], None)
        step("the slug gone again", 0)
        slug(pair[0], "moved-" + other)
        step("a slug of its own", 0)
        site.edit_speakers()
        step("a talk's speakers", 0)
        rel = pair[1]
        site.write(rel, site.read(rel).replace("---\n", "---\ndraft: true\n", 1))
        step("a page drafted", 0)
        site.write(rel, site.read(rel).replace("draft: true\n", "", 1))
        step("a page published again", 0)
    finally:
        driver.stdin.close()
        driver.wait()


def answer_counts(tmp):
    """Through the driver: the commit after which each question stayed
    answered is read from git once per walk (history_since_kept), not at
    every rebuild; a commit (a new walk) reads them again, and a question
    answered or reopened in that commit is what the cold build says."""
    site = make_site(os.path.join(tmp, "answers"), random.Random(3))
    for i in range(3):
        site.write("content/faq/q%d.md" % i, "---\ntitle: Question %d\ndate: 2024-01-0%d\n---\n\n%s.\n"
                   % (i, i + 1, site.words(6)))
    site.commit("questions")
    out = os.path.join(tmp, "answers-out")
    drv = start_driver(site.root)

    def read():
        line = driver_build(drv, out)
        crc, d = cold_diff(site.root, os.path.join(tmp, "answers-cold"), out)
        if len(line) < 10 or line[1] != "0" or crc != 0 or d.returncode != 0:
            return "driver %r, cold exit %d, %s" % (line, crc, d.stdout[:1000])
        return int(line[6])

    def answer(rel, body):
        text = site.read(rel)
        end = text.index("\n---\n", 4) + 5
        site.write(rel, text[:end] + body)

    steps = [("first build", None, "some"),
             ("a page's body", lambda: site.edit_field("body"), 0),
             ("a question reopened, not committed", lambda: answer("content/faq/q1.md", ""), 0),
             ("committed", lambda: site.commit("reopen"), "some"),
             ("answered again and committed",
              lambda: (answer("content/faq/q1.md", "\nNow answered.\n"), site.commit("answer")), "some"),
             ("no edit", None, 0)]
    try:
        for name, edit, want in steps:
            if edit:
                edit()
            got = read()
            if isinstance(got, int) and (got == want or (want == "some" and got > 0)):
                ok("answers kept with the walk: %s: %d read" % (name, got))
            else:
                fail("answers kept with the walk: %s" % name, "read %s, want %s" % (got, want))
    finally:
        drv.stdin.close()
        drv.wait()


def tail_counts(tmp):
    """Through the driver: the feeds stage and the search index's shards make again
    only what an edit changed, and the output is still the cold build's. A feed
    shows its 50 newest pages: an edit of a page below them keeps every feed."""
    site = make_site(os.path.join(tmp, "tail"), random.Random(19))
    for i in range(60):  # old cases without terms: below every feed's newest
        site.write("content/cases/old%02d.md" % i, "---\ntitle: 'Old case %d'\ndate: 20%02d-03-01\n"
                   "company: Company 1\n---\n\n%s.\n\n%s.\n" % (i, i % 10, site.words(6), site.words(9)))
    site.commit("old cases")
    out = os.path.join(tmp, "tail-out")
    cold = os.path.join(tmp, "tail-cold")
    driver = start_driver(site.root)
    now = "1717200000"

    def step(name):
        line = driver_build(driver, out, now)
        crc, d = cold_diff(site.root, cold, out, now)
        if len(line) < 10 or line[:2] != ["done", "0"] or crc != 0 or d.returncode != 0:
            fail("tail: " + name, "driver %s, cold exit %d\n%s" % (" ".join(line), crc, d.stdout[:2000]))
            return None
        return line

    def feeds_made(line):
        feeds = [p for p in snapshot(cold) if p.endswith("atom.xml") or p.endswith(".ics")]
        return len(feeds) - int(line[7]), len(feeds)

    try:
        step("first build")
        step("a rebuild with nothing changed")
        # the oldest case's summary: the site's, the cases' feeds (each language) list it, show it not
        rel = "content/cases/old00.md"
        site.write(rel, site.read(rel).replace("\n---\n\n", "\n---\n\nA new summary %s.\n\n" % site.words(3), 1))
        line = step("summary edit of a page below every feed's newest")
        if line:
            made, total = feeds_made(line)
            if made == 0:
                ok("tail: summary edit of a page below every feed's newest made none of %d feeds again" % total)
            else:
                fail("tail: summary edit of a page below every feed's newest made %d of %d feeds again"
                     % (made, total))
        # a title edit moves the titles' average length: the postings of titles are
        # computed again, not every posting of the index
        rel = "content/cases/old05.md"
        site.write(rel, re.sub(r"^title: .*$", "title: 'Old case five retitled with many more words here'",
                               site.read(rel), count=1, flags=re.M))
        line = step("title edit")
        if line and len(line) > 15 and 0 < int(line[14]) and int(line[14]) * 2 < int(line[15]):
            ok("tail: a title edit computed %s of %s postings again" % (line[14], line[15]))
        elif line:
            fail("tail: a title edit computed postings again: driver %s (fields 14, 15: restepped of all)"
                 % " ".join(line))
    finally:
        driver.stdin.close()
        driver.wait()


def urls_counts(tmp):
    """Through the driver: serve keeps each page's edit and history addresses
    (on a site with a forge) from the load before; only the pages that are
    not the same file read at the same place look theirs up (driver field 22:
    a body, title or date edit one page, a commit none: the addresses do not
    depend on the walk), and another forge address (site.yaml's branch)
    makes every page's again. The output is the cold build's after each."""
    site = make_site(os.path.join(tmp, "urls"), random.Random(13))
    site.write("site.yaml", site.read("site.yaml") + 'repo: {url: "https://github.com/example/site"}\n')
    site.commit("forge")
    out = os.path.join(tmp, "urls-out")
    driver = start_driver(site.root)
    ALL, ANY = -1, -2

    def field(name, value):
        def edit():
            rel = sorted(site.pages(), key=lambda p: not p.startswith("content/talks/"))[0]  # a talk: speakers
            text = site.read(rel)
            if re.search(r"^%s: " % name, text, re.M):
                text = re.sub(r"^%s: .*$" % name, "%s: %s" % (name, value), text, count=1, flags=re.M)
            else:
                text = text.replace("---\n", "---\n%s: %s\n" % (name, value), 1)
            site.write(rel, text)
        return edit

    def body():
        rel = site.pick()
        site.write(rel, site.read(rel) + "\nA new paragraph about %s.\n" % site.words(3))

    def branch():
        site.write("site.yaml", site.read("site.yaml").replace('example/site"}', 'example/site", branch: next}'))

    steps = [("first build", None, ALL), ("no edit", None, 0), ("a body edit", body, 1),
             ("a title edit", field("title", "Another title"), 1), ("a date edit", field("date", "2019-05-06"), 1),
             ("the speakers edited", field("speakers", "[bo]"), 1), ("a commit", lambda: site.commit("urls"), 0),
             ("a page added", site.add_page, ANY), ("after it", None, 0), ("another branch", branch, ALL)]
    try:
        for name, edit, want in steps:
            if edit:
                edit()
            time.sleep(0.2)
            line = built_as_cold(driver, site.root, out, os.path.join(tmp, "urls-cold"), "urls: " + name, 22)
            if not line:
                continue
            got = int(line[21])
            npages = page_files(site)
            if (want == ALL and got == npages) or got == want or (want == ANY and 1 <= got <= npages):
                ok("urls: %s: %d pages' forge addresses looked up, equal to a cold build" % (name, got))
            else:
                fail("urls: %s" % name, "looked up %d pages, want %s" % (got, npages if want == ALL else want))
    finally:
        driver.stdin.close()
        driver.wait()


# The driver's "done" field of value_counts (0-based in the answer's words, "done" first): the
# twenty-third field
VALUED_AT = 22


def value_counts(tmp):
    """Through the driver: the render stage digests the identity (path,
    URL, type...) and the model's values (dates, fields) of the pages the
    model linked again only (driver field 23; the others take the kept
    state's digests: the same file, values from the model's memo, in the
    same layout and context); a template, site.yaml, a new page or a commit
    digest every page again. The output is the cold build's after each
    edit."""
    site = make_site(os.path.join(tmp, "values"), random.Random(13))
    site.write("content/people/tester.md", "---\nname: Tester\ngit_emails: [test@example.org]\n---\n\nWrites.\n")
    site.commit("tester")
    out = os.path.join(tmp, "values-out")
    driver = start_driver(site.root)
    ALL = -1

    def body():
        rel = site.pick()
        site.write(rel, site.read(rel) + "\nA new paragraph about %s.\n" % site.words(3))

    def title():
        rel = [p for p in site.pages() if re.search(r"^title: ", site.read(p), re.M)][0]
        site.write(rel, re.sub(r"^title: .*$", "title: 'Retitled by the values test'", site.read(rel), count=1,
                               flags=re.M))

    def tag():
        rel = [p for p in site.pages() if re.search(r"^tags: \[", site.read(p), re.M)][-1]
        site.write(rel, re.sub(r"^tags: \[", "tags: [valuetag, ", site.read(rel), count=1, flags=re.M))

    def speaker():
        rel = "content/people/bo.md"
        site.write(rel, re.sub(r"^name: .*$", "name: Bo Valued", site.read(rel), count=1, flags=re.M))

    steps = [("first build", None, ALL), ("no edit", None, 0), ("a body edit", body, 1), ("a title edit", title, 1),
             ("a speaker renamed", speaker, 1), ("a tag edit", tag, 1),
             ("a template", site.edit_template, ALL), ("no edit after it", None, 0),
             ("site.yaml", site.edit_config, ALL), ("a page added", site.add_page, ALL),
             ("a body edit after it", body, 1), ("a commit", lambda: site.commit("values"), ALL),
             ("a page deleted", site.delete, ALL), ("no edit at the end", None, 0)]
    first = None
    try:
        for name, edit, want in steps:
            if edit:
                edit()
            time.sleep(0.2)
            line = built_as_cold(driver, site.root, out, os.path.join(tmp, "values-cold"), "values: " + name,
                                 VALUED_AT + 1)
            if not line:
                continue
            got = int(line[VALUED_AT])
            first = first or got
            if got == want or want == ALL and got >= first - 1 and got > 5:
                ok("values: %s: %d pages' values digested, equal to a cold build" % (name, got))
            else:
                fail("values: %s" % name, "digested %d pages' values, want %s" % (got, "all" if want == ALL else want))
    finally:
        driver.stdin.close()
        driver.wait()


def main():
    tmp = tempfile.mkdtemp(prefix="jixia-incr.")
    ENV["XDG_CACHE_HOME"] = os.path.join(tmp, "cache")  # the build stamps
    driver = None
    try:
        if os.environ.get("INCR_DRIVER"):
            parse_counts(tmp)
            answer_counts(tmp)
            source_reads(tmp)
            index_counts(tmp)
            model_counts(tmp)
            links_counts(tmp)
            model_layout(tmp)
            tail_counts(tmp)
            people_counts(tmp)
            urls_counts(tmp)
            value_counts(tmp)
        for seed in SEEDS:
            rng = random.Random(seed)
            site = make_site(os.path.join(tmp, "site%d" % seed), rng)
            # times of day in zones, at daylight-saving edges: serve keeps
            # their instants in its model memo (model.c, S_zone_values)
            site.write("content/events/tz1.md", "---\ntitle: 'Zoned one'\ndate: 2024-10-27 02:30\n"
                       "kind: meetup\ntimezone: Europe/Berlin\n---\n\nAn autumn night.\n")
            site.write("content/events/tz2.md", "---\ntitle: 'Zoned two'\ndate: 2024-03-10 02:30\n"
                       "kind: meetup\ntimezone: America/New_York\n---\n\nA spring night.\n")
            site.commit("zoned")
            inc = os.path.join(tmp, "inc%d" % seed)
            inc2 = os.path.join(tmp, "drv%d" % seed)
            if os.environ.get("INCR_DRIVER"):
                driver = start_driver(site.root)
            edits = [site.add_page, lambda: site.edit_field("body"), lambda: site.edit_field("title"),
                     lambda: site.edit_field("tags"), site.rename, site.delete, site.translate,
                     site.edit_translation, site.delete_translation, site.edit_template, site.edit_i18n,
                     site.edit_config, site.edit_summary, site.edit_person, site.toggle_answer, site.edit_intro,
                     lambda: site.edit_field("body"), site.edit_summary, site.edit_markdown, site.edit_date,
                     site.add_tag, site.edit_speakers, lambda: site.edit_field("title"),
                     site.edit_same_size, lambda: site.edit_same_size(True)]
            now = None
            reused = 0
            for step in range(STEPS):
                did = []
                if site.broken:
                    did.append(site.fix())
                # Steps with no edit: the same sources, or only a commit or
                # --now changed (the build stamp must not match then).
                for _ in range(rng.choice([0, 1, 1, 2, 3])):
                    d = rng.choice(edits)()
                    if d:
                        did.append(d)
                if rng.random() < 0.1:
                    did.append(site.break_page())
                if rng.random() < 0.35:
                    site.commit("step %d" % step)
                    did.append("commit")
                if rng.random() < 0.2:
                    now = rng.choice([None, "1717200000", "1893456000"])
                name = "seed %d step %d (%s)" % (seed, step, "; ".join(x for x in did if x))
                existed = os.path.isdir(inc)
                before = snapshot(inc) if site.broken and existed else None
                rc, err = build(site.root, inc, rng.choice([1, 2, 3]), now)
                cold = os.path.join(tmp, "cold")
                crc, cerr = build(site.root, cold, 2, now)
                if driver:
                    line = driver_build(driver, inc2, now)
                    d = subprocess.run(["diff", "-r", cold, inc2], stdout=subprocess.PIPE, universal_newlines=True)
                    if len(line) < 10 or line[:2] != ["done", str(crc)] or (crc == 0 and d.returncode != 0):
                        fail(name + " [driver]", "cold exit %d, driver %s\n%s" % (crc, " ".join(line), d.stdout[:3000]))
                    else:
                        ok("%s [driver: %s rendered, %s kept]" % (name, line[3], line[4]))
                        reused = int(line[2])
                if rc != crc:
                    fail(name, "incremental exit %d, cold exit %d: %s%s" % (rc, crc, err, cerr))
                    continue
                if rc != 0:
                    if not site.broken:
                        fail(name, "build failed: " + err)
                    elif before is not None and snapshot(inc) != before:
                        fail(name, "a failed build changed the output")
                    else:
                        ok(name + " failed as it should, output kept")
                    shutil.rmtree(cold, ignore_errors=True)
                    continue
                d = subprocess.run(["diff", "-r", cold, inc], stdout=subprocess.PIPE, universal_newlines=True)
                beside = [f for f in os.listdir(tmp) if f.startswith(".inc%d." % seed)]
                if d.returncode != 0:
                    fail(name, "incremental differs from cold:\n" + d.stdout[:3000])
                elif existed and beside != [".inc%d.spare" % seed] and not (beside == [] and "up to date" in err):
                    fail(name, "beside the output: %s, not the spare alone" % beside)
                else:
                    ok(name)
                shutil.rmtree(cold, ignore_errors=True)
            if driver:
                driver.stdin.close()
                driver.wait()
                driver = None
                # Steps without a commit keep the commit: the history is reused.
                if reused > 0:
                    ok("seed %d: %d builds reused the history" % (seed, reused))
                else:
                    fail("seed %d: no build reused the history" % seed)
        if os.environ.get("INCR_DRIVER"):
            check_rerender(tmp)
    finally:
        if driver:
            driver.kill()
        shutil.rmtree(tmp, ignore_errors=True)
    print("incremental: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
