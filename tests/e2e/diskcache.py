#!/usr/bin/env python3
"""diskcache.py FILE MODE [PATH]: makes the last entry of a parse cache file (diskcache.c),
or the last of the page at PATH (content/...: the one that stands), damaged (MODE
damage: a byte of its checked part changed, not its checksum; body, terms-damage:
a byte of the body or of the terms in its bulk changed, not their checksum) or
hostile but with valid checksums (the key is in the header), so that only
the reader's bounds stand between it and the build: MODE html (a length
past the entry), anchors (a count past the bytes left), tokens (more terms
than their bytes hold), lens (as tokens, and the body's length in tokens
past the text's), blank (the body in the bulk all blanks), inline (a long
body in the checked part), term (a term's number past the dictionary), front
(a node of no kind), front-key (a map's key a sequence), deep (front matter nested 100,000 deep), short (the
checked part a byte short), bulk-over (its bulk a byte of the first entry's checked part),
dict (the first term record's count past its bytes),
dict-first (its first number not the next); of the file's list (FILE.list):
list-off, list-path, list-count, list-overlap, list-bulk (listing()); MODE terms prints the term
records, the terms they hold and how many of them are there twice; or of
the history walk's file: walk-touch, walk-pair, walk-path (an index past
what it indexes); or of the working tree's ids' file: ids-path (a
record's path past the bytes), ids-flag (a record's answer neither 0 nor
1); or
of the render state's file: render-page, render-dep (an output reading a
page or dep past the tables), render-parts (parts no page has),
render-count (a count past the bytes left), render-feeds (one feed more
than the file holds), render-feed (a feed's digest changed: that feed is
made again, the state stands), render-feed-flag (a feed's kept flag not 0
or 1), render-size (an output in a folder recorded as 2^62 bytes: the
state stands, that file looked at), render-sizes (prints the largest
size the state records), render-short (a byte short),
render-long (a byte past its end); or of the index's streams' file:
deflate-len (a stream's length past the end), deflate-zero (a stream of
no bytes); or of the questions' answers: answers-two (an answer of 2),
answers-len (an answer two bytes long), answers-reseal (the control); or
of the search index's state, in parts: search-count (a
block of more words than its bytes hold), search-page (a posting of a
page past the pages), search-step (a step of 0), search-twice (a page's
path twice), search-short (a block a byte short), search-long (a byte
past its end), search-dir (a part's place over the directory),
search-parts (a part fewer than the head counts), search-damage (a byte
of a block changed, its checksum not), search-order (the words' order
of the last write not ascending), search-order-past (a word of it past
the words), search-order-short (its count past what it holds),
search-zsig (every shard's file named one the output has not),
search-zsig-count (more shards than the head holds), and search-reseal (nothing
changed, sealed again: the control that the hostile ones are sealed
right); search-info prints its parts, blocks of pages and of words; or of
the links' record (links.c's S_disk_put): links-count (the first entry's
links counted far past the bytes left), links-nul (a link's attribute's NUL
made a letter), links-dep (a dependency on a page past the pages), links-field
(an entry's field past the page's fields: that page is checked again),
links-tag (an entry's tag neither 0 nor 1), links-long (a byte past its
end) and links-reseal (the control). Used by diskcache.sh and linkskept.sh."""
import struct, sys

M = (1 << 64) - 1


def mix(z):
    z = ((z ^ (z >> 30)) * 0xbf58476d1ce4e5b9) & M
    z = ((z ^ (z >> 27)) * 0x94d049bb133111eb) & M
    return z ^ (z >> 31)


def s_sum(k0, k1, data):
    """diskcache.c's S_sum: a parse cache record's checksum."""
    n = len(data)
    lanes = [k0, k1, ~k0 & M, ~k1 & M]
    pad = bytes(data) + b"\0" * ((-n) % 32)
    for i in range(0, len(pad), 32):
        w = struct.unpack_from("<4Q", pad, i)
        for j in range(4):
            x = ((lanes[j] ^ w[j]) * 0x9e3779b97f4a7c15) & M
            lanes[j] = ((x << 29) | (x >> 35)) & M
    o0 = mix((lanes[0] + mix(lanes[1] ^ n)) & M)
    return o0, mix((lanes[2] + mix(lanes[3] ^ o0)) & M)


TERMS, BULK = 0xFFFFFFFF, 0xFFFFFFFE


def records(buf, kinds=False):
    """(offset of the record's head, body length, a term record) of each record; with kinds,
    its path's length for the third: TERMS, BULK (the entries' bulks), or an entry's."""
    count = struct.unpack_from("<Q", buf, 56)[0]
    at, out = 72, []
    for _ in range(count):
        n = struct.unpack_from("<Q", buf, at)[0]
        kind = struct.unpack_from("<I", buf, at + 40)[0]
        out.append((at, n, kind if kinds else kind == TERMS))
        at += 24 + n
    return out


def entries(buf):
    """(offset of the entry's head, body length) of each entry (not the term nor bulk records)."""
    return [(at, n) for at, n, kind in records(buf, True) if kind not in (TERMS, BULK)]


def bulk_of(body):
    """The place in an entry's body (its checked part) of its bulk's offset in the file, the
    offset and the bulk's length."""
    n = struct.unpack_from("<I", body, 16)[0]
    return (20 + n + 8,) + struct.unpack_from("<QQ", body, 20 + n + 8)


def splice(buf, pos, old, new, k0, k1):
    """buf's old bytes at pos replaced by new: the bulk record they lie in, and each entry's
    bulk past pos, moved with them (the entries sealed again)."""
    delta = len(new) - old
    for at, n, kind in records(buf, True):
        if kind == BULK and at + 24 <= pos < at + 24 + n:
            struct.pack_into("<Q", buf, at, n + delta)
    buf[pos:pos + old] = new
    for at, n, kind in records(buf, True):
        if kind in (TERMS, BULK):
            continue
        body = bytearray(buf[at + 24:at + 24 + n])
        f, off, _ = bulk_of(body)
        if off > pos:
            struct.pack_into("<Q", body, f, off + delta)
            seal(buf, at, n, body, k0, k1)


def listing(path, mode):
    """The parse cache's list, FILE.list beside it (diskcache.c's
    S_list_save), made hostile, its checksum made again (the key is in the
    file's header it holds): list-off (an entry's place past the file),
    list-path (the first two entries' places swapped: each holds another
    path's entry), list-count (more entries than its bytes hold),
    list-overlap (the second entry's place the first's: two pages' records
    over one), list-bulk (the second entry's bulk the first's)."""
    buf = bytearray(open(path, "rb").read())
    k0, k1 = struct.unpack_from("<QQ", buf, 24 + 24)
    head = 16 + 8 + 72 + 8 + 16
    nt, ne = struct.unpack_from("<II", buf, head)
    first = head + 8 + 16 * nt
    # (each entry's place, length, checked bytes, its bulk's place and length, then its path)
    n = struct.unpack_from("<I", buf, first + 40)[0]
    second = first + 44 + n
    if mode == "list-off":
        struct.pack_into("<Q", buf, first, struct.unpack_from("<Q", buf, 24 + 72)[0])
    elif mode == "list-path":
        a, b = bytes(buf[first:first + 40]), bytes(buf[second:second + 40])
        buf[first:first + 40] = b
        buf[second:second + 40] = a
    elif mode == "list-count":
        struct.pack_into("<I", buf, head + 4, ne + 1000)
    elif mode == "list-overlap":  # the second entry's places the first's
        buf[second:second + 40] = bytes(buf[first:first + 40])
    elif mode == "list-bulk":  # the second entry's bulk the first's (its record its own)
        buf[second + 24:second + 40] = bytes(buf[first + 24:first + 40])
    else:
        sys.exit("hostile: unknown mode " + mode)
    c0, c1 = s_sum(k0, k1, bytes(buf[:-16]))
    struct.pack_into("<QQ", buf, len(buf) - 16, c0, c1)
    open(path, "wb").write(buf)


def seal(buf, at, size, body, k0, k1, checked=None):
    """The record at at (size bytes of body) replaced by body, its head made again
    (its checksum over the first checked bytes of body, an entry's; all of a term record's)."""
    c0, c1 = s_sum(k0, k1, body if checked is None else body[:checked])
    buf[at:at + 24 + size] = struct.pack("<QQQ", len(body), c0, c1) + body


def split(buf, at, size):
    """An entry's body, its checked part (diskcache.c's S_encode), and its bulk (elsewhere
    in the file, in a bulk record)."""
    body = bytearray(buf[at + 24:at + 24 + size])
    _, off, n = bulk_of(body)
    return body, bytearray(buf[off:off + n])


def join(part, bulk, k0, k1, f):
    """An entry's body again from its checked part and bulk: its count of checked bytes and
    its bulk's length set, the terms' checksum made again (f: fields(part))."""
    n = struct.unpack_from("<I", part, 16)[0]
    struct.pack_into("<Q", part, 20 + n, len(part))
    struct.pack_into("<Q", part, 20 + n + 16, len(bulk))
    t = f["tokens"]
    size = struct.unpack_from("<I", part, t)[0]
    struct.pack_into("<QQ", part, t + 16, *s_sum(k0, k1, bytes(bulk[len(bulk) - size:])))
    return bytes(part), len(part)


def terms(buf):
    """The term records: their count, the terms, and how many are there twice."""
    seen, twice, n = set(), 0, 0
    for at, size, kind in records(buf, True):
        if kind != TERMS:
            continue
        n += 1
        body = buf[at + 24:at + 24 + size]
        p = 28
        while p < len(body):
            t = bytes(body[p + 1:p + 2 + body[p]])
            twice += t in seen
            seen.add(t)
            p += 2 + body[p]
    print(n, len(seen), twice)


def dict_hostile(buf, mode, k0, k1):
    at, size = [(a, n) for a, n, t in records(buf, True) if t == TERMS][0]
    body = bytearray(buf[at + 24:at + 24 + size])
    if mode == "dict":  # more terms than its bytes hold
        struct.pack_into("<I", body, 24, struct.unpack_from("<I", body, 24)[0] + 1)
    else:  # numbered from another place than the terms before it end
        struct.pack_into("<I", body, 20, struct.unpack_from("<I", body, 20)[0] + 1)
    seal(buf, at, size, body, k0, k1)


def fields(body):
    """Offsets in an entry's checked part: html length, anchors count, tokens (their size,
    count, lengths and checksum), front matter; and the body's length in the bulk."""
    at = 16
    n = struct.unpack_from("<I", body, at)[0]
    at += 4 + n + 8 + 16 + 4 + 4 + 8
    f = {"html": at, "bulk": 0}
    n = struct.unpack_from("<Q", body, at)[0]
    at += 8
    if n != (1 << 64) - 1:
        if body[at]:
            f["bulk"] = n
            at += 1 + 16
        else:
            at += 1 + n
    for _ in range(2):  # toc, summary (each string with its NUL)
        n = struct.unpack_from("<I", body, at)[0]
        at += 4 + (0 if n == 0xFFFFFFFF else n + 1)
    f["anchors"] = at
    k = struct.unpack_from("<I", body, at)[0]
    at += 4
    for _ in range(k):
        at += 4 + struct.unpack_from("<I", body, at)[0] + 1
    if body[at]:
        k = struct.unpack_from("<I", body, at + 1)[0]
        at += 5
        for _ in range(k):
            at += 4 + struct.unpack_from("<I", body, at)[0] + 1 + 11
    else:
        at += 1
    f["tokens"] = at
    at += 32
    f["front"] = at
    return f


def ids(path, mode):
    """The working tree's ids' file (history.c's S_dirty_kept, in
    diskcache.c's kept file): its first record made hostile, the checksum
    made again."""
    buf = bytearray(open(path, "rb").read())
    k0, k1 = struct.unpack_from("<QQ", buf, 24)
    body = bytearray(buf[80:])
    first = 1 + 20 + 4
    if mode == "ids-path":
        struct.pack_into("<I", body, first, len(body))
    elif mode == "ids-flag":
        plen = struct.unpack_from("<I", body, first)[0]
        body[first + 4 + plen + 32 + 8 + 20] = 7
    else:
        sys.exit("hostile: unknown mode " + mode)
    c0, c1 = s_sum(k0, k1, bytes(body))
    struct.pack_into("<QQ", buf, 64, c0, c1)
    buf[80:] = body
    open(path, "wb").write(buf)


def walk(path, mode):
    """The history walk's file (diskcache.c's history part): a body that is
    hostile in one index, its checksum made again (the key is in the header)."""
    buf = bytearray(open(path, "rb").read())
    k0, k1 = struct.unpack_from("<QQ", buf, 24)
    body = bytearray(buf[80:])
    u = lambda at: struct.unpack_from("<Q", body, at)[0]
    at = 0
    n = u(at)
    at += 8 + n * (20 + 48)
    n = u(at)
    at += 8 + n * 8
    n = u(at)
    at += 8
    for _ in range(3 * n):
        at += 8 + u(at)
    n = u(at)
    at += 8
    for _ in range(n):
        at += 8 + u(at) + 40
    ntouch = u(at)
    touch = at + 8
    at += 8 + ntouch * 8
    plen = u(at)
    at += 8 + plen
    nchanges = u(at)
    changes = at + 8
    if mode == "walk-touch":  # a change of a file in a commit past the walk's
        struct.pack_into("<Q", body, touch, 1 << 40)
    elif mode == "walk-pair":  # a rename's other half past its commit's changes
        struct.pack_into("<q", body, changes + 24 + 40, nchanges + 5)
    elif mode == "walk-path":  # a change's path past the paths
        struct.pack_into("<Q", body, changes + 16, plen + 100)
    else:
        sys.exit("hostile: unknown mode " + mode)
    c0, c1 = s_sum(k0, k1, bytes(body))
    struct.pack_into("<QQ", buf, 64, c0, c1)
    buf[80:] = body
    open(path, "wb").write(buf)


def write_sealed(path, buf, body, k0, k1):
    """A sealed file (diskcache.c's S_sealed_write) with body as its body: its
    length and checksum (s_sum) at 56 in the header, sealed again."""
    c0, c1 = s_sum(k0, k1, bytes(body))
    struct.pack_into("<QQQ", buf, 56, len(body), c0, c1)
    buf[80:] = body
    open(path, "wb").write(buf)


def render(path, mode):
    """The render state's file (diskcache.c's render part, rerender.c's
    format): one count or index made hostile, its checksum made again."""
    buf = bytearray(open(path, "rb").read())
    k0, k1 = struct.unpack_from("<QQ", buf, 24)
    body = bytearray(buf[80:])
    u32 = lambda at: struct.unpack_from("<I", body, at)[0]
    at = 40  # the global digest, the build time, the context
    npages = u32(at)
    at += 4
    for _ in range(npages):
        at += 4 + u32(at) + 8 * 23
    ndeps = u32(at)
    at += 4
    for _ in range(ndeps):
        at += 4 + u32(at) + 16
    nouts = u32(at)
    at += 4
    first_page = first_dep = deep_size = None
    sizes = []
    for _ in range(nouts):
        if deep_size is None and b"/" in body[at + 4 : at + 4 + u32(at)]:
            deep_size = at + 4 + u32(at) + 9  # an output in a folder: its size
        sizes.append(struct.unpack_from("<Q", body, at + 4 + u32(at) + 9)[0])
        at += 4 + u32(at) + 17  # the file, steps, flags, size
        n = u32(at)
        if n and first_page is None:
            first_page = at + 4
        at += 4 + 8 * n
        n = u32(at)
        if n and first_dep is None:
            first_dep = at + 4
        at += 4 + 4 * n
    nfeeds_at = at
    nfeeds = u32(at)
    at += 4
    first_feed = None
    for _ in range(nfeeds):
        at += 4 + u32(at)
        if first_feed is None:
            first_feed = at
        sizes.append(struct.unpack_from("<Q", body, at + 17)[0])
        at += 16 + 1 + 8  # its digest, whether it was kept, its size
    at += 8  # the folders' record number
    assert at == len(body), (at, len(body))
    if mode == "render-sizes":  # read only: the largest size recorded
        print(max(sizes))
        return
    if mode == "render-page":
        struct.pack_into("<Q", body, first_page, (npages + 5) << 8 | 1)
    elif mode == "render-dep":
        struct.pack_into("<I", body, first_dep, ndeps + 3)
    elif mode == "render-parts":
        struct.pack_into("<Q", body, first_page, 0xff)
    elif mode == "render-count":
        struct.pack_into("<I", body, 40, 0xFFFFFFF0)
    elif mode == "render-feeds":
        struct.pack_into("<I", body, nfeeds_at, nfeeds + 1)
    elif mode == "render-feed":  # a feed's digest another's: the feed made, not kept
        struct.pack_into("<QQ", body, first_feed, 1, 2)
    elif mode == "render-feed-flag":  # a feed's flags past the one it has: nothing of it holds
        body[first_feed + 16] = 2
    elif mode == "render-size":  # an output's size past any cap: looked at, not kept by its size
        struct.pack_into("<Q", body, deep_size, 1 << 62)
    elif mode == "render-short":
        body = body[:-1]
    elif mode == "render-long":
        body = body + b"\0"
    else:
        sys.exit("hostile: unknown mode " + mode)
    write_sealed(path, buf, body, k0, k1)


def deflate(path, mode):
    """The index's streams (diskcache.c's deflate part): the first entry's
    length made hostile, the checksum made again."""
    buf = bytearray(open(path, "rb").read())
    k0, k1 = struct.unpack_from("<QQ", buf, 24)
    body = bytearray(buf[80:])
    if mode == "deflate-len":
        struct.pack_into("<Q", body, 16, len(body) + 1)
    elif mode == "deflate-zero":
        struct.pack_into("<Q", body, 16, 0)
    else:
        sys.exit("hostile: unknown mode " + mode)
    write_sealed(path, buf, body, k0, k1)


def answers(path, mode):
    """The questions' answers (diskcache.c's memo: digest 16, length 8, the
    answer): the first entry made hostile, the checksum made again."""
    buf = bytearray(open(path, "rb").read())
    k0, k1 = struct.unpack_from("<QQ", buf, 24)
    body = bytearray(buf[80:])
    if struct.unpack_from("<Q", body, 16)[0] != 1:
        sys.exit("diskcache.py: the first answer is not one byte")
    if mode == "answers-two":
        body[24] = 2
    elif mode == "answers-len":
        struct.pack_into("<Q", body, 16, 2)
    elif mode != "answers-reseal":
        sys.exit("hostile: unknown mode " + mode)
    write_sealed(path, buf, body, k0, k1)


def links_entries(body):
    """The links' record's entries (links.c's S_disk_put) after its head (world 16,
    pages_ok 1, pages 8): per entry, where its links' count, its first string,
    its fields' count and its dependencies' count are."""
    def skip_str(at):
        n = struct.unpack_from("<I", body, at)[0]
        return at + 4 if n == 0xFFFFFFFF else at + 4 + n + 1
    at, out = 25, []
    for _ in range(struct.unpack_from("<Q", body, 17)[0]):
        tag = body[at]
        at += 1
        if tag == 0:
            continue
        e = {"links": at + 16}
        n = struct.unpack_from("<I", body, at + 16)[0]
        at += 20
        e["str"] = at
        for _ in range(n):
            at = skip_str(at)
        for _ in range(2):  # the pictures: href, width, height
            e.setdefault("pic", at)
            at = skip_str(at) + 8
        e["hrefs"] = at
        n = struct.unpack_from("<I", body, at)[0]
        at += 4
        for _ in range(n):
            k = struct.unpack_from("<I", body, at + 4)[0]
            at += 8
            for _ in range(k):
                at = skip_str(at)
        e["deps"] = at
        at += 4 + 20 * struct.unpack_from("<I", body, at)[0]
        out.append(e)
    return out


def links(path, mode):
    """The links' record (diskcache.c's sealed file, links.c's body): one
    count, index or string made hostile, its checksum made again."""
    buf = bytearray(open(path, "rb").read())
    k0, k1 = struct.unpack_from("<QQ", buf, 24)
    body = bytearray(buf[80:])
    es = links_entries(body)
    if mode == "links-count":
        struct.pack_into("<I", body, es[0]["links"], 0xFFFFFFF0)
    elif mode == "links-nul":
        e = next(e for e in es if struct.unpack_from("<I", body, e["links"])[0] > 0 and
                 struct.unpack_from("<I", body, e["str"])[0] not in (0, 0xFFFFFFFF))
        n = struct.unpack_from("<I", body, e["str"])[0]
        body[e["str"] + 4 + n] = ord("x")
    elif mode == "links-dep":
        e = next(e for e in es if struct.unpack_from("<I", body, e["deps"])[0] > 0)
        struct.pack_into("<I", body, e["deps"] + 4, 0xFFFFFF)
    elif mode == "links-field":
        e = next(e for e in es if struct.unpack_from("<I", body, e["hrefs"])[0] > 0)
        struct.pack_into("<I", body, e["hrefs"] + 4, 0xFFFF)
    elif mode == "links-tag":
        body[25] = 2
    elif mode == "links-long":
        body += b"\0"
    elif mode != "links-reseal":
        sys.exit("hostile: unknown mode " + mode)
    write_sealed(path, buf, body, k0, k1)


def uvarint(b, at):
    """The LEB128 number at at: (value, offset past it)."""
    v, shift = 0, 0
    while True:
        c = b[at]
        at += 1
        v |= (c & 0x7F) << shift
        shift += 7
        if not c & 0x80:
            return v, at


def varint(v):
    out = bytearray()
    while v >= 0x80:
        out.append(0x80 | (v & 0x7F))
        v >>= 7
    out.append(v)
    return bytes(out)


LAZY = 1 << 63  # in a part's length: a part read only when asked for (diskcache.c's S_PLAZY)


def parts_read(path):
    """A file of parts (diskcache.c's search state): its header, key and
    parts' bytes, in the directory's order (a lazy part's bytes a
    bytearray whose lazy attribute is set)."""
    buf = bytes(open(path, "rb").read())
    k0, k1 = struct.unpack_from("<QQ", buf, 24)
    doff, dlen = struct.unpack_from("<QQ", buf, 56)
    n = struct.unpack_from("<Q", buf, doff)[0]
    parts = []
    for i in range(n):
        off, ln = struct.unpack_from("<QQ", buf, doff + 8 + 32 * i)
        p = Part(buf[off:off + (ln & ~LAZY)])
        p.lazy = bool(ln & LAZY)
        parts.append(p)
    return bytearray(buf[:88]), k0, k1, parts


class Part(bytearray):
    """A part's bytes, and whether it is lazy."""
    lazy = False


def parts_write(path, head, k0, k1, parts, dir_edit=None):
    """The parts sealed again into a file of their own: each part's checksum
    (s_sum, diskcache.c's S_sum), the directory's (dir_edit may change its entries first), the header's."""
    body = bytearray()
    entries = []
    for p in parts:
        c0, c1 = s_sum(k0, k1, bytes(p))
        entries.append([88 + len(body), len(p) | (LAZY if getattr(p, "lazy", False) else 0), c0, c1])
        body += p
    if dir_edit:
        dir_edit(entries)
    d = struct.pack("<Q", len(entries)) + b"".join(struct.pack("<QQQQ", *e) for e in entries)
    c0, c1 = s_sum(k0, k1, d)
    struct.pack_into("<QQQQ", head, 56, 88 + len(body), len(d), c0, c1)
    open(path, "wb").write(bytes(head) + bytes(body) + d)


def search(path, mode):
    """The search index's state (search.c's layout, in parts): one count,
    page, step, path, part or directory entry made hostile, every
    checksum made again (search-damage: a byte of a part changed, its
    checksum not)."""
    head, k0, k1, parts = parts_read(path)
    h = bytes(parts[0])
    ndocs, at = uvarint(h, 0)
    per, at = uvarint(h, at)
    at += 4 * 8 + 16
    meta = h[at]
    at += 1
    nwords, at = uvarint(h, at)
    words_at = at - len(varint(nwords))
    nblocks, at = uvarint(h, at)
    counts = []
    for _ in range(nblocks):
        c, at = uvarint(h, at)
        counts.append(c)
    npb = (ndocs + per - 1) // per
    assert len(parts) == 1 + npb + nblocks + npb, (len(parts), npb, nblocks)
    assert sum(counts) == nwords
    fwd = 1 + npb + nblocks  # the forward lists' parts, one per block of pages

    def terms_of(block):
        """(start, its n, start of its bytes, their length, start of its postings, the fields its postings
        count) of each term of block."""
        b = bytes(parts[1 + npb + block])
        out, q = [], 0
        while q < len(b):
            start = q
            n, q = uvarint(b, q)
            q += n
            n, q = uvarint(b, q)
            nfrag, q = uvarint(b, q)
            fields = b[q]
            q += 1
            blen, q = uvarint(b, q)
            post = q
            for _ in range(nfrag):  # the frag list, its postings, the places, the idf and the record
                _, post = uvarint(b, post)
            for _ in range(nfrag):
                v, post = uvarint(b, post)
                post += [0, 1, 4, 0][v & 3]
            nskip, post = uvarint(b, post)
            for _ in range(2 * nskip):
                _, post = uvarint(b, post)
            _, post = uvarint(b, post)
            post += 1
            if b[post - 1] == 1:
                for _ in range(2):
                    ln, post = uvarint(b, post)
                    post += ln
            out.append((start, n, q, blen, post, fields))
            q += blen
        assert len(out) == counts[block]
        return out

    def body(t):
        """Whether term t has postings with the body field (bit 3): a rebuild whose edit drifts the
        body's average, as the tests' edits do, reads it whole (a term it does not read is
        trusted by its part's checksum)."""
        return t[1] and t[5] & 8

    def sigs_end(q):
        """The offset past the metadata and tail files' names (search.c's S_encode_sigs) at q."""
        n, q = uvarint(h, q)
        for _ in range(n):
            _, q = uvarint(h, q)
            _, q = uvarint(h, q)
            q += 8
        n, q = uvarint(h, q)
        for _ in range(n):
            q += 8
            m, q = uvarint(h, q)
            for _ in range(m):
                _, q = uvarint(h, q)
        return q

    zsig_at = sigs_end(at)  # the last write's shards (S_encode_zsigs), then the words' order

    def zsigs():
        """[(offset of its name, its bytes)] of each shard, and the offset past them."""
        n, q = uvarint(h, zsig_at)
        out = []
        for _ in range(n):
            out.append(q + 16)
            q += 24
            _, q = uvarint(h, q)
        return out, q

    def order():
        """The words' order (S_encode_worder): its offset and numbers."""
        q0 = zsigs()[1]
        n, q = uvarint(h, q0)
        v = []
        for _ in range(n):
            x, q = uvarint(h, q)
            v.append(x)
        return q0, v

    dir_edit = None
    if mode == "search-count":  # a block of more words than its bytes hold (the counts still add up)
        counts[0] += 1000
        tail = h[at:]
        h2 = h[:words_at] + varint(nwords + 1000) + varint(nblocks)
        h2 += b"".join(varint(c) for c in counts) + tail
        parts[0] = bytearray(h2)
    elif mode == "search-page":  # a posting's page past the pages
        blk = next(i for i in range(nblocks) if any(body(t) for t in terms_of(i)))
        b = bytes(parts[1 + npb + blk])
        start, n, p, blen, post, _ = next(t for t in terms_of(blk) if body(t))
        v, q = uvarint(b, post)
        blob = b[p:post] + varint((ndocs + 5) << 2 | (v & 3)) + b[q:p + blen]
        hd = b[start:p - len(varint(blen))]
        parts[1 + npb + blk] = bytearray(b[:start] + hd + varint(len(blob)) + blob + b[p + blen:])
    elif mode == "search-fields":  # a term's fields a bit past the four fields
        blk = next(i for i in range(nblocks) if terms_of(i))
        b = parts[1 + npb + blk]
        start, n, p, blen, post, _ = terms_of(blk)[0]
        b[p - len(varint(blen)) - 1] |= 16
    elif mode == "search-step":  # a step of 0 (steps are 1 to 63)
        blk = nblocks - 1
        while not any(body(t) for t in terms_of(blk)):
            blk -= 1
        b = parts[1 + npb + blk]
        start, n, p, blen, q, _ = [t for t in terms_of(blk) if body(t)][-1]
        b[p + blen - n] = 0  # the steps: the term's last n bytes
    elif mode == "search-twice":  # the second page's path the first's
        b = bytes(parts[1])
        n0, a0 = uvarint(b, 0)
        e0 = a0 + n0
        n1, a1 = uvarint(b, next_page(b, 0, meta))
        s1 = next_page(b, 0, meta)
        parts[1] = bytearray(b[:s1] + b[0:e0] + b[a1 + n1:])
    elif mode == "search-order":  # the words' order with its first two swapped (not ascending)
        q0, v = order()
        assert len(v) > 2
        v[0], v[1] = v[1], v[0]
        parts[0] = bytearray(h[:q0] + varint(len(v)) + b"".join(varint(x) for x in v))
    elif mode == "search-order-past":  # a word of the order past the words
        q0, v = order()
        v[-1] = nwords
        parts[0] = bytearray(h[:q0] + varint(len(v)) + b"".join(varint(x) for x in v))
    elif mode == "search-order-short":  # the order's count one more than it holds
        q0, v = order()
        parts[0] = bytearray(h[:q0] + varint(len(v) + 1) + b"".join(varint(x) for x in v))
    elif mode == "search-zsig":  # every shard's file named one the output has not (made again, not kept)
        names, _ = zsigs()
        assert names
        b = bytearray(h)
        for q in names:
            b[q] ^= 0x5A
        parts[0] = b
    elif mode == "search-zsig-count":  # more shards than the head holds
        n, q = uvarint(h, zsig_at)
        parts[0] = bytearray(h[:zsig_at] + varint(n + 1000) + h[q:])
    elif mode == "search-reseal":  # nothing changed, sealed again: the control
        pass
    elif mode == "search-short":  # the last block of words a byte short
        parts[fwd - 1] = parts[fwd - 1][:-1]
    elif mode == "search-long":  # a byte past its end
        parts[fwd - 1] = parts[fwd - 1] + b"\0"
    elif mode == "search-fwd":  # every page's forward list naming the first word alone
        for i in range(fwd, len(parts)):
            n = min(per, ndocs - (i - fwd) * per)
            parts[i] = Part(b"\1\0" * n)
            parts[i].lazy = True
    elif mode == "search-fwd-past":  # every page's forward list naming a word past the words
        for i in range(fwd, len(parts)):
            n = min(per, ndocs - (i - fwd) * per)
            parts[i] = Part((b"\1" + varint(nwords)) * n)
            parts[i].lazy = True
    elif mode == "search-fwd-eager":  # the forward lists' parts not lazy (read with the others)
        for i in range(fwd, len(parts)):
            parts[i].lazy = False
    elif mode == "search-dir":  # a part's place past the parts (over the directory)
        def dir_edit(entries):
            entries[-1][0] += 1
    elif mode == "search-parts":  # one part fewer than the head counts
        parts = parts[:-1]
    elif mode == "search-damage":  # a byte of a block of words changed, its checksum not made again
        parts_write(path, head, k0, k1, parts)
        buf = bytearray(open(path, "rb").read())
        doff = struct.unpack_from("<Q", buf, 56)[0]
        off, ln = struct.unpack_from("<QQ", buf, doff + 8 + 32 * (1 + npb + nblocks // 2))
        buf[off + ln // 2] ^= 0x40
        open(path, "wb").write(buf)
        return
    elif mode == "search-fwd-damage":  # a byte of every forward list's part changed, its checksum not
        parts_write(path, head, k0, k1, parts)
        buf = bytearray(open(path, "rb").read())
        doff = struct.unpack_from("<Q", buf, 56)[0]
        for i in range(fwd, len(parts)):
            off, ln = struct.unpack_from("<QQ", buf, doff + 8 + 32 * i)
            buf[off + (ln & ~LAZY) // 2] ^= 0x40
        open(path, "wb").write(buf)
        return
    else:
        sys.exit("hostile: unknown mode " + mode)
    parts_write(path, head, k0, k1, parts, dir_edit)


def next_page(b, at, meta):
    """The offset past the page at at in a block of pages."""
    n, at = uvarint(b, at)
    at += n
    n, at = uvarint(b, at)
    at += n
    for _ in range(4):
        _, at = uvarint(b, at)
    if meta:
        n, at = uvarint(b, at)
        at += n
    return at


def search_info(path):
    """Prints the state's parts and blocks: parts, blocks of pages, blocks of words."""
    head, k0, k1, parts = parts_read(path)
    h = bytes(parts[0])
    ndocs, at = uvarint(h, 0)
    per, at = uvarint(h, at)
    at += 4 * 8 + 16 + 1
    nwords, at = uvarint(h, at)
    nblocks, at = uvarint(h, at)
    print(len(parts), (ndocs + per - 1) // per, nblocks, sum(p.lazy for p in parts))


def last_of(buf, page):
    """The last entry written (the one that stands, diskcache.c's S_list), of page's path when given."""
    found = entries(buf)
    if page:
        found = [(at, n) for at, n in found
                 if buf[at + 44:at + 44 + struct.unpack_from("<I", buf, at + 40)[0]] == page.encode()]
    if not found:
        sys.exit("diskcache.py: no entry of " + page)
    return found[-1]


def main():
    path, mode = sys.argv[1], sys.argv[2]
    page = sys.argv[3] if len(sys.argv) > 3 else None
    if mode.startswith("deflate-"):
        return deflate(path, mode)
    if mode.startswith("answers-"):
        return answers(path, mode)
    if mode.startswith("links-"):
        return links(path, mode)
    if mode == "search-info":
        return search_info(path)
    if mode.startswith("search-"):
        return search(path, mode)
    if mode.startswith("walk-"):
        return walk(path, mode)
    if mode.startswith("render-"):
        return render(path, mode)
    if mode.startswith("ids-"):
        return ids(path, mode)
    buf = bytearray(open(path, "rb").read())
    k0, k1 = struct.unpack_from("<QQ", buf, 24)
    if mode == "terms":
        return terms(buf)
    if mode.startswith("list-"):
        return listing(path, mode)
    if mode.startswith("dict"):
        dict_hostile(buf, mode, k0, k1)
        open(path, "wb").write(buf)
        return
    at, size = last_of(buf, page)
    body, bulk = split(buf, at, size)
    _, off, blen = bulk_of(body)
    f = fields(body)
    if mode in ("damage", "body", "terms-damage"):  # a byte changed, its checksum not made again
        if mode == "damage":  # of its tail, in the checked part
            where = at + 24 + len(body) - 1
        elif mode == "body":  # its body's first, in the bulk
            where = off if f["bulk"] else sys.exit("diskcache.py: no body in the bulk")
        else:  # its terms' last, in the bulk
            where = off + blen - 1
        buf[where] ^= 0xFF
        open(path, "wb").write(buf)
        return
    if mode == "html":  # a length past the entry
        struct.pack_into("<Q", body, f["html"], 1 << 40)
    elif mode == "anchors":  # a count far past the bytes left
        struct.pack_into("<I", body, f["anchors"], 0xFFFFFFF0)
    elif mode == "tokens":  # more terms than the terms' bytes hold
        n = struct.unpack_from("<I", body, f["tokens"] + 4)[0]
        struct.pack_into("<I", body, f["tokens"] + 4, n + 1)
    elif mode == "term":  # the first term's number far past the dictionary
        t = f["tokens"]
        tsize = struct.unpack_from("<I", body, t)[0]
        b = f["bulk"]
        p = b
        while bulk[p] & 0x80:
            p += 1
        flag = bulk[b] & 1
        big = bytes([0xFF, 0xFF, 0xFF, 0xFF, 0x0F]) if flag else bytes([0xFE, 0xFF, 0xFF, 0xFF, 0x0F])
        bulk = bulk[:b] + big + bulk[p + 1:]
        struct.pack_into("<I", body, t, tsize - (p + 1 - b) + 5)
        splice(buf, off, blen, bulk, k0, k1)  # (its record may move with it)
        at, size = last_of(buf, page)
    elif mode == "lens":  # as tokens, and its body's length in tokens 1000 more: what the index
        t = f["tokens"]  # would weigh the page by, were they read before the terms
        n = struct.unpack_from("<I", body, t + 4)[0]
        struct.pack_into("<I", body, t + 4, n + 1)
        struct.pack_into("<I", body, t + 12, struct.unpack_from("<I", body, t + 12)[0] + 1000)
    elif mode == "blank":  # its body in the bulk all blanks (a cold build keeps a blank one inline)
        n = f["bulk"] or sys.exit("diskcache.py: no body in the bulk")
        bulk[:n] = b" " * n
        buf[off:off + n] = bulk[:n]
        struct.pack_into("<QQ", body, f["html"] + 9, *s_sum(k0, k1, bytes(bulk[:n])))
    elif mode == "inline":  # its body in the checked part though it is long (a cold build's is in the bulk)
        n = f["bulk"] or sys.exit("diskcache.py: no body in the bulk")
        h = f["html"]
        body = body[:h + 8] + b"\0" + bulk[:n] + body[h + 9 + 16:]
        bulk = bulk[n:]
        struct.pack_into("<Q", body, bulk_of(body)[0], off + n)  # the rest of it where it was
        f = fields(body)
    elif mode == "front":  # a node of no kind
        body[f["front"]] = 9
    elif mode == "front-key":  # front matter a map whose key is a sequence, not text
        body = (body[:f["front"]] + b"\x03" + b"\0" * 9 + struct.pack("<I", 2) + b"\x02" + b"\0" * 9 +
                struct.pack("<I", 0) + b"\x01" + b"\0" * 9 + struct.pack("<I", 1) + b"x\0")
    elif mode == "deep":  # front matter nested past any bound
        body = body[:f["front"]] + b"\x02\0\0\0\0\0\0\0\0\0\x01\0\0\0" * 100000
    elif mode == "short":  # the checked part one byte short of what it says
        body = body[:-1]
    elif mode == "bulk-over":  # its bulk a byte of the first entry's checked record
        struct.pack_into("<Q", body, bulk_of(body)[0], entries(buf)[0][0] + 24)
        bulk = bulk[:1]
    else:
        sys.exit("hostile: unknown mode " + mode)
    body, checked = join(body, bulk, k0, k1, f)
    rec = bytearray(24 + size)
    seal(rec, 0, size, body, k0, k1, checked)
    splice(buf, at, 24 + size, rec, k0, k1)
    open(path, "wb").write(buf)


main()
