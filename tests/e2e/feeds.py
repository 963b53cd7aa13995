#!/usr/bin/python3
"""feeds.py CHECK OUT [ARGS] - reads a built site's reader outputs back.

The checker behind tests/e2e/feeds.sh, run with Debian's python3 so that
python3-feedparser and python3-icalendar are found. Prints "ok NAME" or
"FAIL NAME: why" per check; feeds.sh counts them.

  atom OUT BASE_URL        every atom.xml parses (feedparser), ids, order
  ics OUT                  every .ics: CRLF, folding, UTF-8, parses (icalendar)
  sitemap OUT BASE_URL     every HTML page listed, alternates, lastmod
  jsonld OUT               every JSON-LD block parses, @type, required properties
  head OUT BASE_URL        canonical, Open Graph, Twitter card, feed links
  hostile OUT BASE_URL NOW the fixtures of feeds.sh, value by value
  ids OUT1 OUT2            entry ids and UIDs equal in two builds
"""
import glob
import json
import os
import re
import sys
import uuid
from html.parser import HTMLParser

import feedparser
import icalendar

failures = 0


def ok(name):
    print("ok " + name)


def fail(name, why):
    global failures
    failures += 1
    print("FAIL %s: %s" % (name, why))


def check(name, cond, why=""):
    if cond:
        ok(name)
    else:
        fail(name, why)


def files(out, pattern):
    return sorted(glob.glob(os.path.join(out, "**", pattern), recursive=True))


def rel(out, path):
    return os.path.relpath(path, out)


def site_ns(base_url):
    return uuid.uuid5(uuid.NAMESPACE_URL, base_url)


def xml_text(s):
    """What XML can carry of s: C0 controls but tab and newline, U+FFFE/U+FFFF dropped."""
    return "".join(c for c in s if (c >= " " or c in "\t\n") and c not in "\ufffe\uffff")


# --- Atom ------------------------------------------------------------------

def check_atom(out, base_url):
    feeds = files(out, "atom.xml")
    check("atom: feeds written", len(feeds) > 0, "no atom.xml under " + out)
    bad = []
    for path in feeds:
        d = feedparser.parse(path)
        name = rel(out, path)
        if d.bozo:
            bad.append("%s: %s" % (name, d.bozo_exception))
            continue
        if d.version != "atom10":
            bad.append("%s: version %s" % (name, d.version))
        if not d.feed.get("title") or not d.feed.get("id", "").startswith("urn:uuid:"):
            bad.append("%s: feed title or id" % name)
        self_links = [l.href for l in d.feed.get("links", []) if l.rel == "self"]
        want_self = quote_url(base_url + name)
        if self_links != [want_self]:
            bad.append("%s: self link %r, want %r" % (name, self_links, want_self))
        times = []
        for e in d.entries:
            if not e.get("id", "").startswith("urn:uuid:") or not e.get("link") or not e.get("updated_parsed"):
                bad.append("%s: entry %r lacks id, link or updated" % (name, e.get("title")))
            times.append(e.get("published_parsed"))
        if times != sorted(times, reverse=True):
            bad.append("%s: entries not newest first" % name)
        if len(d.entries) > 50:
            bad.append("%s: %d entries" % (name, len(d.entries)))
    check("atom: every feed parses back (feedparser), ids, self links, newest first", not bad,
          "; ".join(bad[:5]))


# --- iCalendar -------------------------------------------------------------

def ics_lines_ok(data):
    """CRLF only, at most 75 octets a line, each line valid UTF-8 by itself."""
    if not data.endswith(b"\r\n"):
        return "does not end with CRLF"
    lines = data[:-2].split(b"\r\n")
    for i, line in enumerate(lines):
        if b"\n" in line or b"\r" in line:
            return "line %d has a bare CR or LF" % (i + 1)
        if len(line) > 75:
            return "line %d is %d octets" % (i + 1, len(line))
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            return "line %d is cut inside a UTF-8 sequence" % (i + 1)
    return None


def check_ics(out):
    cals = files(out, "*.ics")
    check("ics: calendars written", len(cals) > 0, "no .ics under " + out)
    bad = []
    for path in cals:
        data = open(path, "rb").read()
        why = ics_lines_ok(data)
        if why:
            bad.append("%s: %s" % (rel(out, path), why))
            continue
        try:
            cal = icalendar.Calendar.from_ical(data)
        except Exception as e:  # noqa: BLE001 - any parse error is a failure
            bad.append("%s: %s" % (rel(out, path), e))
            continue
        events = cal.walk("VEVENT")
        if not events:
            bad.append("%s: no VEVENT" % rel(out, path))
        for ev in events:
            for prop in ("UID", "DTSTAMP", "DTSTART", "SUMMARY", "URL"):
                if prop not in ev:
                    bad.append("%s: VEVENT without %s" % (rel(out, path), prop))
    check("ics: every calendar folded, CRLF, UTF-8 per line, parses back (icalendar)", not bad,
          "; ".join(bad[:5]))


# --- sitemap ---------------------------------------------------------------

def sitemap_urls(out):
    """{loc: (lastmod, {hreflang: href})} over sitemap.xml or its index."""
    import xml.etree.ElementTree as ET
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    root = ET.parse(os.path.join(out, "sitemap.xml")).getroot()
    paths = [os.path.join(out, "sitemap.xml")]
    if root.tag.endswith("sitemapindex"):
        paths = [os.path.join(out, l.text.rsplit("/", 1)[1]) for l in root.findall("s:sitemap/s:loc", ns)]
    urls = {}
    for p in paths:
        for u in ET.parse(p).getroot().findall("s:url", ns):
            loc = u.find("s:loc", ns).text
            lm = u.find("s:lastmod", ns)
            alts = {l.get("hreflang"): l.get("href") for l in u.findall("x:link", ns)}
            urls[loc] = (lm.text if lm is not None else None, alts)
    return urls


def quote_url(s):
    from urllib.parse import quote
    return quote(s, safe=":/?#[]@!$&'()*+,;=%~")


def check_sitemap(out, base_url):
    urls = sitemap_urls(out)
    pages = []
    for p in files(out, "index.html"):
        r = rel(out, p)
        if r.startswith("search/") or r.startswith("en/search/"):
            continue  # a search form is nothing to index
        if '<meta name="robots" content="noindex">' in open(p, encoding="utf-8").read():
            continue  # nor is a page kept only for old links (an expired job)
        pages.append(quote_url(base_url + (r[: -len("index.html")])))
    missing = [p for p in pages if p not in urls]
    check("sitemap: every HTML page but the noindex ones is listed", not missing, "missing %s" % missing[:5])
    extra = [u for u in urls if u not in set(pages)]
    check("sitemap: every URL listed is a page", not extra, "no page for %s" % extra[:5])
    bad = []
    for loc, (_, alts) in urls.items():
        if alts and (loc not in alts.values() or "x-default" not in alts):
            bad.append(loc)
    check("sitemap: alternates list the URL itself and x-default", not bad, str(bad[:3]))
    robots = open(os.path.join(out, "robots.txt")).read()
    check("robots.txt names the sitemap", "Sitemap: %ssitemap.xml\n" % base_url in robots, robots)


# --- JSON-LD ---------------------------------------------------------------

SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)

REQUIRED = {
    "Event": ["name", "startDate", "url", "eventAttendanceMode", "location"],
    "FAQPage": ["mainEntity"],
    "TechArticle": ["headline", "url"],
    "Article": ["headline", "url"],
    "Person": ["name", "url"],
    "Organization": ["name", "url"],
    "CollegeOrUniversity": ["name", "url"],
    "GovernmentOrganization": ["name", "url"],
    "SoftwareSourceCode": ["name", "url"],
    "VideoObject": ["name", "description", "uploadDate", "url"],
    "BreadcrumbList": ["itemListElement"],
    "JobPosting": ["title", "description", "datePosted", "hiringOrganization", "url"],
    "Place": ["name", "url", "address"],
}


def place_problems(p):
    """A Place (a venue's own node or an Event's location at a venue)."""
    a = p.get("address")
    if not isinstance(a, dict) or a.get("@type") != "PostalAddress" \
            or not (a.get("streetAddress") or a.get("addressLocality")):
        return "Place without a PostalAddress"
    for k in ("url", "hasMap"):
        if k in p and not str(p[k]).startswith("http"):
            return "Place %s not absolute" % k
    if "maximumAttendeeCapacity" in p and not isinstance(p["maximumAttendeeCapacity"], int):
        return "Place capacity not a number"
    if any(not str(i).startswith("http") for i in p.get("image", [])):
        return "Place image not absolute"
    for f in p.get("amenityFeature", []):
        if f.get("@type") != "LocationFeatureSpecification" or not f.get("name") or f.get("value") is not True:
            return "Place amenityFeature without name or value"
    return None


def jsonld_blocks(html):
    return SCRIPT.findall(html)


def node_problems(node):
    t = node.get("@type")
    if node.get("@context") != "https://schema.org":
        return "no schema.org @context"
    if t not in REQUIRED:
        return "unexpected @type %r" % t
    for p in REQUIRED[t]:
        if p not in node or node[p] in ("", [], None):
            return "%s without %s" % (t, p)
    if t == "FAQPage":
        for q in node["mainEntity"]:
            a = q.get("acceptedAnswer", {})
            if q.get("@type") != "Question" or not q.get("name") or a.get("@type") != "Answer" or not a.get("text"):
                return "FAQPage question without name or answer text"
    if t == "BreadcrumbList":
        items = node["itemListElement"]
        if [i.get("position") for i in items] != list(range(1, len(items) + 1)):
            return "breadcrumb positions"
        for i in items:
            if i.get("@type") != "ListItem" or not i.get("name") or not str(i.get("item", "")).startswith("http"):
                return "breadcrumb item without name or absolute URL"
    if t == "Event":
        locs = node["location"] if isinstance(node["location"], list) else [node["location"]]
        for l in locs:
            if l.get("@type") == "Place" and not l.get("address"):
                return "Place without address"
            if l.get("@type") == "Place" and "url" in l and place_problems(l):
                return "location: " + place_problems(l)
            if l.get("@type") == "VirtualLocation" and not l.get("url"):
                return "VirtualLocation without url"
    if t == "JobPosting":
        if node["hiringOrganization"].get("@type") not in ("Organization", "CollegeOrUniversity",
                                                          "GovernmentOrganization") \
                or not node["hiringOrganization"].get("name"):
            return "JobPosting hiringOrganization without a name"
        if "jobLocation" not in node and node.get("jobLocationType") != "TELECOMMUTE":
            return "JobPosting neither located nor TELECOMMUTE"
        if "validThrough" in node and not re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$",
                                                   node["validThrough"]):
            return "JobPosting validThrough %r" % node["validThrough"]
    if t == "SoftwareSourceCode":
        lic = node.get("license", [])
        for u in lic if isinstance(lic, list) else [lic]:
            if not re.fullmatch(r"https://spdx\.org/licenses/[A-Za-z0-9.+-]+\.html", u):
                return "SoftwareSourceCode license %r is not an SPDX license page" % u
        for u in [node.get("codeRepository", "http:")] + node.get("sameAs", []):
            if not u.startswith(("http:", "https:")):
                return "SoftwareSourceCode URL %r is not absolute" % u
        for m in node.get("maintainer", []):
            if m.get("@type") != "Person" or not m.get("name") or not m.get("url", "").startswith("http"):
                return "SoftwareSourceCode maintainer without name or absolute URL"
    if t == "Place" and place_problems(node):
        return place_problems(node)
    if t in ("Article", "TechArticle") and len(node["headline"]) > 110:
        return "headline over 110 characters"
    return None


def body_kind(html):
    m = re.search(r'<body data-kind="([^"]*)"(?: data-type="([^"]*)")?', html)
    return (m.group(1), m.group(2)) if m else (None, None)


def check_jsonld(out):
    bad, count, types = [], 0, {}
    for path in files(out, "*.html"):
        html = open(path, encoding="utf-8").read()
        kind, ptype = body_kind(html)
        found = []
        for raw in jsonld_blocks(html):
            count += 1
            if "<" in raw or ">" in raw:
                bad.append("%s: raw < or > inside a block" % rel(out, path))
                continue
            try:
                node = json.loads(raw)
            except ValueError as e:
                bad.append("%s: %s" % (rel(out, path), e))
                continue
            why = node_problems(node)
            if why:
                bad.append("%s: %s" % (rel(out, path), why))
            found.append(node.get("@type"))
            types[node.get("@type")] = types.get(node.get("@type"), 0) + 1
        want = {"event": "Event", "faq": "FAQPage", "doc": "TechArticle", "case": "Article", "person": "Person",
                "project": "SoftwareSourceCode", "venue": "Place"}
        if kind == "page" and ptype in want and want[ptype] not in found:
            bad.append("%s: a %s page without %s" % (rel(out, path), ptype, want[ptype]))
        # a job offers a JobPosting while open; once expired its page stays (noindex) without one
        expired = '<meta name="robots" content="noindex">' in html
        if kind == "page" and ptype == "job" and expired == ("JobPosting" in found):
            bad.append("%s: %s job %s JobPosting" % (rel(out, path), "an expired" if expired else "an open",
                                                     "with a" if expired else "without a"))
        orgs = ("Organization", "CollegeOrUniversity", "GovernmentOrganization")
        if kind == "page" and ptype == "org" and not any(t in found for t in orgs):
            bad.append("%s: an org page without an Organization" % rel(out, path))
        if kind == "page" and ptype == "talk" and "watch_video" in html and "VideoObject" not in found:
            pass  # the theme's button is not how a video is known; checked by the fixtures
        if kind in ("page", "list", "year", "taxonomy", "term") and "BreadcrumbList" not in found:
            bad.append("%s: no BreadcrumbList" % rel(out, path))
    check("jsonld: every block parses, has its @type and required properties (%d blocks)" % count,
          count > 0 and not bad, "; ".join(bad[:5]))
    return types


# --- head tags ---------------------------------------------------------------

class Head(HTMLParser):
    def __init__(self):
        super().__init__()
        self.metas, self.links = {}, []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta":
            key = a.get("property") or a.get("name")
            if key:
                self.metas[key] = a.get("content")
        elif tag == "link":
            self.links.append(a)


def head_of(path):
    h = Head()
    h.feed(open(path, encoding="utf-8").read().split("</head>")[0])
    return h


def check_head(out, base_url):
    bad = []
    for path in files(out, "index.html"):
        r = rel(out, path)
        with open(path, encoding="utf-8") as f:
            if 'http-equiv="refresh"' in f.read():
                continue  # a speaker's term page: only leads to the person page (readers.sh)
        h = head_of(path)
        url = quote_url(base_url + r[: -len("index.html")])
        canon = [l.get("href") for l in h.links if l.get("rel") == "canonical"]
        if canon != [url]:
            bad.append("%s: canonical %r" % (r, canon))
        for k in ("og:title", "og:type", "og:url", "twitter:card"):
            if not h.metas.get(k):
                bad.append("%s: no %s" % (r, k))
        if h.metas.get("og:url") != url:
            bad.append("%s: og:url" % r)
        feeds = [l for l in h.links if l.get("type") == "application/atom+xml" and l.get("rel") == "alternate"]
        if not feeds:
            bad.append("%s: no feed autodiscovery link" % r)
        for f in feeds:
            target = os.path.join(out, f["href"][len(urlpath(base_url)):])
            if not os.path.isfile(target):
                bad.append("%s: feed link %s leads nowhere" % (r, f["href"]))
        d = h.metas.get("description")
        if d is not None and len(d) > 201:
            bad.append("%s: description of %d characters" % (r, len(d)))
    check("head: canonical, Open Graph, Twitter card, feed links that exist, short description", not bad,
          "; ".join(bad[:5]))


def urlpath(base_url):
    return "/" + base_url.split("://", 1)[1].split("/", 1)[1]


# --- the fixtures of feeds.sh ------------------------------------------------

HOSTILE = 'A <b>&amp;</b> "q" ]]> ; , \\ back\x01slash\x7f \ufffe end ' + "长标题" * 12


def check_hostile(out, base_url, now):
    ns = site_ns(base_url)

    # Atom: the hostile title survives, the id is the documented UUID.
    d = feedparser.parse(os.path.join(out, "events", "atom.xml"))
    ev = [e for e in d.entries if e.link == base_url + "events/hostile/"]
    check("atom: hostile event in the events feed", len(ev) == 1, [e.link for e in d.entries])
    if ev:
        check("atom: hostile title round-trips (controls dropped)", ev[0].title == xml_text(HOSTILE),
              repr(ev[0].title))
        check("atom: entry id is uuid5(site, page:LANG:FOLDER/ID)",
              ev[0].id == "urn:uuid:%s" % uuid.uuid5(ns, "page:zh:events/hostile"), ev[0].id)
        check("atom: date from front matter in the site's zone", ev[0].published == "2024-05-18T00:00:00+08:00",
              ev[0].published)
        check("atom: organizers are the authors", [a.name for a in ev[0].authors] == ["Alice <A&B>"],
              ev[0].get("authors"))
    d = feedparser.parse(os.path.join(out, "atom.xml"))
    long = [e for e in d.entries if e.link == base_url + "faq/long/"]
    if long:
        s = long[0].summary
        src = LONG_SUMMARY
        check("atom: long summary clipped with an ellipsis", s.endswith("…") and len(s) <= 301, repr(s))
        check("atom: clipped summary is the start of the text, no entity cut",
              src.startswith(s[:-1].rstrip()) and "&" not in s.replace("&", "", s.count("&")), repr(s[-20:]))
    else:
        fail("atom: long-summary FAQ in the site feed", [e.link for e in d.entries])
    d = feedparser.parse(os.path.join(out, "en", "atom.xml"))
    check("atom: a feed per language (en)", d.feed.get("language") == "en" and len(d.entries) >= 1,
          d.feed.get("language"))
    d = feedparser.parse(os.path.join(out, "tags", "vacuum", "atom.xml"))
    check("atom: a feed per tag", len(d.entries) == 2 and not d.bozo, [e.link for e in d.entries])
    undated = feedparser.parse(os.path.join(out, "docs", "atom.xml"))
    check("atom: pages without a date stay out of feeds", len(undated.entries) == 0 and not undated.bozo,
          len(undated.entries))

    # iCalendar.
    raw = open(os.path.join(out, "events.ics"), "rb").read()
    cal = icalendar.Calendar.from_ical(raw)
    evs = {str(e["URL"]): e for e in cal.walk("VEVENT")}
    h = evs.get(base_url + "events/hostile/")
    check("ics: hostile event in events.ics", h is not None, list(evs))
    if h is not None:
        check("ics: SUMMARY round-trips (escaped \\; \\, \\\\, controls dropped)",
              str(h["SUMMARY"]) == HOSTILE.replace("\x01", "").replace("\x7f", ""), repr(str(h["SUMMARY"])))
        check("ics: LOCATION escaped and read back", str(h["LOCATION"]) == "Hall 1, 杭州, 西湖; \\区",
              repr(str(h["LOCATION"])))
        check("ics: escapes written as the RFC says", b"\\;" in raw and b"\\," in raw and b"\\\\" in raw)
        check("ics: a long title is folded", b"\r\n " in raw)
        check("ics: UID is uuid5(site, event:FOLDER/ID)", str(h["UID"]) == str(uuid.uuid5(ns, "event:events/hostile")),
              str(h["UID"]))
        check("ics: DTSTAMP is the build time", int(h["DTSTAMP"].dt.timestamp()) == int(now), h["DTSTAMP"].dt)
        check("ics: all-day dates, end exclusive",
              str(h["DTSTART"].dt) == "2024-05-18" and str(h["DTEND"].dt) == "2024-05-20",
              (h["DTSTART"].dt, h["DTEND"].dt))
        check("ics: description ends with the page URL", str(h["DESCRIPTION"]).endswith(base_url + "events/hostile/"))
    pe = evs.get(base_url + "events/placed/")
    check("ics: an event at a venue is located at its name, address and city",
          pe is not None and str(pe["LOCATION"]) == 'Hall <b>&amp;</b> "One", 1 "Lake" Rd; <West>, 杭州, 西湖; \\区',
          pe is not None and repr(str(pe["LOCATION"])))
    o = evs.get(base_url + "events/online/")
    check("ics: online event has its URL (LOCATION and CONFERENCE)",
          o is not None and str(o["LOCATION"]) == ONLINE_URL and ONLINE_URL in raw.decode("utf-8").replace("\r\n ", ""),
          o and dict(o))
    en = icalendar.Calendar.from_ical(open(os.path.join(out, "en", "events.ics"), "rb").read())
    en_evs = {str(e["UID"]): e for e in en.walk("VEVENT")}
    check("ics: the en calendar has every event, in English where translated",
          len(en_evs) == len(evs) and str(en_evs[str(h["UID"])]["SUMMARY"]) == "Hostile, in English",
          [str(e["SUMMARY"]) for e in en_evs.values()])
    one = icalendar.Calendar.from_ical(open(os.path.join(out, "events", "hostile.ics"), "rb").read())
    check("ics: per-event file has the same UID", [str(e["UID"]) for e in one.walk("VEVENT")] == [str(h["UID"])])
    page = open(os.path.join(out, "events", "hostile", "index.html"), encoding="utf-8").read()
    check("ics: the event page links its .ics", 'href="%sevents/hostile.ics"' % urlpath(base_url) in page)
    lst = open(os.path.join(out, "events", "index.html"), encoding="utf-8").read()
    check("ics: the events list links the calendar", 'href="%sevents.ics"' % urlpath(base_url) in lst)

    # Sitemap.
    urls = sitemap_urls(out)
    e = urls.get(base_url + "events/hostile/")
    check("sitemap: translated page has hreflang alternates",
          e is not None and e[1] == {"zh": base_url + "events/hostile/", "en": base_url + "en/events/hostile/",
                                     "x-default": base_url + "events/hostile/"}, e)
    check("sitemap: lastmod from the page date", e is not None and e[0] == "2024-05-18", e and e[0])
    fut = urls.get(base_url + "events/future/")
    check("sitemap: a date still ahead is no lastmod", fut is not None and fut[0] is None, fut)
    home = urls.get(base_url)
    check("sitemap: home pages are alternates", home is not None and home[1].get("en") == base_url + "en/", home)
    tag = urls.get(quote_url(base_url + "tags/vacuum/"))
    check("sitemap: term pages are alternates", tag is not None and tag[1].get("en") == base_url + "en/tags/vacuum/",
          tag)

    # JSON-LD of each kind of page.
    def nodes(path):
        html = open(os.path.join(out, path), encoding="utf-8").read()
        return html, {n["@type"]: n for n in map(json.loads, jsonld_blocks(html))}

    html, n = nodes("events/hostile/index.html")
    check("jsonld: Event name round-trips", n.get("Event", {}).get("name") == HOSTILE, n.get("Event", {}).get("name"))
    check("jsonld: < > & written as \\u003c \\u003e \\u0026", "\\u003cb\\u003e\\u0026amp;\\u003c/b\\u003e" in html)
    ev = n.get("Event", {})
    check("jsonld: Event location, dates, organizer, attendance mode",
          ev.get("startDate") == "2024-05-18" and ev.get("endDate") == "2024-05-19"
          and ev["location"][0]["address"]["addressLocality"] == "杭州, 西湖; \\区"
          and ev["organizer"][0]["name"] == "Alice <A&B>"
          and ev["eventAttendanceMode"].endswith("OfflineEventAttendanceMode"), ev)
    html, n = nodes("venues/hall/index.html")
    pl = n.get("Place", {})
    check("jsonld: a venue's Place: name, address, map, capacity, photos, equipment",
          pl.get("name") == 'Hall <b>&amp;</b> "One"' and pl.get("url") == base_url + "venues/hall/"
          and pl.get("address") == {"@type": "PostalAddress", "streetAddress": '1 "Lake" Rd; <West>',
                                    "addressLocality": "杭州, 西湖; \\区"}
          and pl.get("hasMap") == "https://map.example.org/?q=a&z=1" and pl.get("maximumAttendeeCapacity") == 80
          and pl.get("image") == ["https://example.org/p.png?a=1&b=2"]
          and [f["name"] for f in pl.get("amenityFeature", [])] == ["投影仪", "直播"], pl)
    check("venue page: name escaped, the contact linked",
          "<h1>Hall &lt;b&gt;&amp;amp;&lt;/b&gt; &quot;One&quot;</h1>" in html
          and 'href="%speople/alice/">Alice &lt;A&amp;B&gt;</a>' % urlpath(base_url) in html)
    check("venue page: the event held there", 'href="%sevents/placed/"' % urlpath(base_url) in html)
    html, n = nodes("events/placed/index.html")
    loc = n.get("Event", {}).get("location", [{}])[0]
    check("jsonld: an Event at a venue has the venue's Place as its location",
          loc.get("@type") == "Place" and loc.get("name") == pl.get("name") and loc.get("url") == pl.get("url")
          and loc.get("address") == pl.get("address") and loc.get("hasMap") == pl.get("hasMap"), loc)
    check("event page: its venue linked, with the address",
          '<a href="%svenues/hall/">Hall &lt;b&gt;&amp;amp;&lt;/b&gt; &quot;One&quot;</a>' % urlpath(base_url) in html
          and '<span class="meta-note">1 &quot;Lake&quot; Rd; &lt;West&gt;</span>' in html)
    html, n = nodes("events/online/index.html")
    ev = n.get("Event", {})
    check("jsonld: online Event has a VirtualLocation with its URL",
          ev.get("eventAttendanceMode", "").endswith("OnlineEventAttendanceMode")
          and ev["location"][0] == {"@type": "VirtualLocation", "url": ONLINE_URL}, ev)
    html, n = nodes("faq/q1/index.html")
    q = n.get("FAQPage", {}).get("mainEntity", [{}])[0]
    check("jsonld: FAQPage question and answer text", q.get("name") == "Why <bloat>?"
          and q["acceptedAnswer"]["text"] == "Old rows & dead tuples stay until VACUUM.", q)
    html, n = nodes("faq/index.html")
    check("jsonld: FAQPage on the FAQ index", len(n.get("FAQPage", {}).get("mainEntity", [])) == 2, n.keys())
    html, n = nodes("docs/guide/install/index.html")
    crumbs = [i["name"] for i in n.get("BreadcrumbList", {}).get("itemListElement", [])]
    check("jsonld: TechArticle for docs", n.get("TechArticle", {}).get("headline") == "Install", n.keys())
    check("jsonld: BreadcrumbList home, docs, folder page, page",
          crumbs == ['Hostile <Site> & "Co"', "文档", "Guide", "Install"], crumbs)
    html, n = nodes("cases/c1/index.html")
    art = n.get("Article", {})
    check("jsonld: Article for cases with author and company",
          art.get("author", [{}])[0].get("name") == "Alice <A&B>" and art.get("about", {}).get("name") == "ACME; Inc.",
          art)
    html, n = nodes("people/alice/index.html")
    p = n.get("Person", {})
    check("jsonld: Person with worksFor and sameAs",
          p.get("worksFor", {}).get("name") == "ACME; Inc." and p.get("sameAs") == ["https://github.com/alice"], p)
    html, n = nodes("orgs/acme/index.html")
    o = n.get("Organization", {})
    check("jsonld: Organization with its website, logo, city and page",
          o.get("name") == 'ACME <Org> & "Co"' and o.get("url") == "https://acme.example.com/?a=1&b=2"
          and o.get("logo") == "https://cdn.example.org/acme.png"
          and o.get("address") == {"@type": "PostalAddress", "addressLocality": "杭州 <西湖>"}
          and o.get("description") == "Makes <everything> & more."
          and o.get("mainEntityOfPage") == base_url + "orgs/acme/", o)
    html, n = nodes("orgs/uni/index.html")
    check("jsonld: a university is a CollegeOrUniversity, its url the page without a website",
          n.get("CollegeOrUniversity", {}).get("url") == base_url + "orgs/uni/" and "Organization" not in n, n.keys())
    html, n = nodes("orgs/gov/index.html")
    check("jsonld: a government body is a GovernmentOrganization", "GovernmentOrganization" in n, n.keys())
    html, n = nodes("people/bob/index.html")
    check("jsonld: Person worksFor the organisation org names (not the company text)",
          n.get("Person", {}).get("worksFor") == {"@type": "Organization", "name": 'ACME <Org> & "Co"',
                                                  "url": "https://acme.example.com/?a=1&b=2"}, n.get("Person"))
    html, n = nodes("cases/c2/index.html")
    check("jsonld: Article about the organisation org names",
          n.get("Article", {}).get("about") == {"@type": "CollegeOrUniversity", "name": "西湖大学",
                                                "url": base_url + "orgs/uni/"}, n.get("Article"))
    html, n = nodes("events/online/index.html")
    ev = n.get("Event", {})
    check("jsonld: Event hosts are organizers, sponsors sponsors",
          ev.get("organizer") == [{"@type": "CollegeOrUniversity", "name": "西湖大学", "url": base_url + "orgs/uni/"}]
          and [s["@type"] for s in ev.get("sponsor", [])] == ["Organization", "GovernmentOrganization"], ev)
    html, n = nodes("projects/p1/index.html")
    sc = n.get("SoftwareSourceCode", {})
    check("jsonld: SoftwareSourceCode name, repository, website, language round-trip",
          sc.get("name") == 'pg_<b>jieba</b> & "co"' and sc.get("codeRepository") == "https://code.example.org/p1?a=1&b=2"
          and sc.get("sameAs") == ["https://p1.example.org/"] and sc.get("programmingLanguage") == "C & <SQL>"
          and sc.get("keywords") == "chinese, a,b", sc)
    check("jsonld: SoftwareSourceCode license: each SPDX id as its page, in the list's spelling, no LicenseRef",
          sc.get("license") == ["https://spdx.org/licenses/MIT.html", "https://spdx.org/licenses/Apache-2.0.html"],
          sc.get("license"))
    check("jsonld: SoftwareSourceCode maintainer is the person",
          sc.get("maintainer") == [{"@type": "Person", "name": "Alice <A&B>",
                                    "url": "https://example.org/sub/people/alice/"}], sc.get("maintainer"))
    check("jsonld: SoftwareSourceCode sourceOrganization is the org it names",
          sc.get("sourceOrganization") == {"@type": "CollegeOrUniversity", "name": "西湖大学",
                                           "url": base_url + "orgs/uni/"}, sc.get("sourceOrganization"))
    html, n = nodes("projects/p2/index.html")
    sc = n.get("SoftwareSourceCode", {})
    check("jsonld: SoftwareSourceCode without repository, license or maintainer leaves them out",
          sc.get("name") == "Bare" and not {"codeRepository", "license", "maintainer", "sameAs"} & set(sc), sc)
    html, n = nodes("talks/t1/index.html")
    v = n.get("VideoObject", {})
    check("jsonld: VideoObject for a talk with a video",
          v.get("url") == "https://video.example.org/v/1" and v.get("uploadDate") == "2024-05-18"
          and v.get("duration") == "PT45M", v)
    html, n = nodes("talks/t2/index.html")
    check("jsonld: no VideoObject without a video", "VideoObject" not in n, n.keys())
    html, n = nodes("jobs/hostile-job/index.html")
    jp = n.get("JobPosting", {})
    check("jsonld: JobPosting title round-trips", jp.get("title") == JOB_TITLE, jp.get("title"))
    check("jsonld: JobPosting dates, validThrough to the expires day's last second in the site's zone",
          jp.get("datePosted") == "2024-05-20" and jp.get("validThrough") == "2024-06-30T23:59:59+08:00", jp)
    check("jsonld: JobPosting employmentType from kind, organization, place, remote, description",
          jp.get("employmentType") == "INTERN"
          and jp.get("hiringOrganization") == {"@type": "Organization", "name": 'ACME <Org> & "Co"',
                                               "url": "https://acme.example.com/?a=1&b=2",
                                               "logo": "https://cdn.example.org/acme.png"}
          and jp.get("jobLocation", {}).get("address", {}).get("addressLocality") == "杭州"
          and jp.get("jobLocationType") == "TELECOMMUTE"
          and jp.get("description") == "Work on VACUUM & <friends>.", jp)
    check("jsonld: JobPosting applicationContact is the mailto's address",
          jp.get("applicationContact") == {"@type": "ContactPoint", "email": "jobs@acme.example.org"}, jp)
    html, n = nodes("jobs/closed-job/index.html")
    check("jsonld: no JobPosting for an expired job, its breadcrumbs stay",
          "JobPosting" not in n and "BreadcrumbList" in n, n.keys())
    h = head_of(os.path.join(out, "jobs", "closed-job", "index.html"))
    check("head: an expired job is noindex, its canonical stays",
          h.metas.get("robots") == "noindex" and any(l.get("rel") == "canonical" for l in h.links))
    check("sitemap: an open job is listed, an expired one not",
          base_url + "jobs/hostile-job/" in urls and base_url + "jobs/closed-job/" not in urls, sorted(urls)[:3])
    d = feedparser.parse(os.path.join(out, "jobs", "atom.xml"))
    check("atom: the jobs feed holds the open job only", [e.link for e in d.entries] == [base_url + "jobs/hostile-job/"],
          [e.link for e in d.entries])

    # Head tags and 404.
    h = head_of(os.path.join(out, "events", "hostile", "index.html"))
    feeds = sorted(l["href"] for l in h.links if l.get("type") == "application/atom+xml")
    check("head: site and type feeds advertised", feeds == [urlpath(base_url) + "atom.xml",
                                                            urlpath(base_url) + "events/atom.xml"], feeds)
    check("head: og:title is the page title", h.metas.get("og:title") == HOSTILE.replace("\x01", "").replace("\x7f", "")
          or h.metas.get("og:title", "").startswith("A <b>&amp;</b>"), h.metas.get("og:title"))
    h = head_of(os.path.join(out, "tags", "vacuum", "index.html"))
    feeds = sorted(l["href"] for l in h.links if l.get("type") == "application/atom+xml")
    check("head: a term page advertises its feed", urlpath(base_url) + "tags/vacuum/atom.xml" in feeds, feeds)
    nf = open(os.path.join(out, "404.html"), encoding="utf-8").read()
    h = head_of(os.path.join(out, "404.html"))
    check("404.html: site style, search box, noindex, no canonical",
          'href="%sassets/style.css"' % urlpath(base_url) in nf
          and 'action="%ssearch/"' % urlpath(base_url) in nf and 'type="search"' in nf
          and h.metas.get("robots") == "noindex" and not any(l.get("rel") == "canonical" for l in h.links))


ONLINE_URL = "https://live.example.org/q?a=1&b=2"
JOB_TITLE = 'Intern <DBA> & "on call"'

LONG_SUMMARY = ("PostgreSQL keeps old row versions & marks them dead; <VACUUM> reclaims them. " * 6).strip()


def check_ids(out1, out2):
    def ids(out):
        r = set()
        for p in files(out, "atom.xml"):
            r |= {e.id for e in feedparser.parse(p).entries}
        for p in files(out, "*.ics"):
            r |= {str(e["UID"]) for e in icalendar.Calendar.from_ical(open(p, "rb").read()).walk("VEVENT")}
        return r
    a, b = ids(out1), ids(out2)
    check("ids: entry ids and UIDs stable across builds (-j, new title and slug)", a and a == b,
          sorted(a ^ b)[:5])


def main():
    what, out = sys.argv[1], sys.argv[2]
    if what == "atom":
        check_atom(out, sys.argv[3])
    elif what == "ics":
        check_ics(out)
    elif what == "sitemap":
        check_sitemap(out, sys.argv[3])
    elif what == "jsonld":
        check_jsonld(out)
    elif what == "head":
        check_head(out, sys.argv[3])
    elif what == "hostile":
        check_hostile(out, sys.argv[3], sys.argv[4])
    elif what == "ids":
        check_ids(out, sys.argv[3])
    else:
        sys.exit("feeds.py: unknown check " + what)


if __name__ == "__main__":
    main()
