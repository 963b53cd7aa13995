"""
gitobj.py: crafted git objects for the setup.sh of tests/hostile cases,
objects git's own commands refuse to write (a mode of 28 digits, an author
name with ESC) or write too slowly (40,000 nested folders). Objects are
kept in memory and written as one pack by save(), through git index-pack;
run it in the site folder, after `git init`:

    import sys; sys.path.insert(0, sys.argv[1])
    import gitobj
    r = gitobj.Repo()
    t = r.tree([('100644', 'x.md', r.blob(b'...'))])
    r.save()
"""
import hashlib
import subprocess
import zlib

_TYPES = {'commit': 1, 'tree': 2, 'blob': 3}


def _b(s):
    return s if isinstance(s, bytes) else s.encode()


def git(*args):
    return subprocess.check_output(('git',) + args).decode().strip()


class Repo:
    def __init__(self):
        self.objs = []

    def put(self, kind, body):
        """Any object, written as given; returns its hex id."""
        self.objs.append((kind, body))
        return hashlib.sha1(b'%s %d\0' % (kind.encode(), len(body)) + body).hexdigest()

    def blob(self, data):
        return self.put('blob', _b(data))

    def tree(self, entries):
        """entries: (mode, name, hex id), in the order given (nothing is checked)."""
        body = b''.join(_b(m) + b' ' + _b(n) + b'\0' + bytes.fromhex(i) for m, n, i in entries)
        return self.put('tree', body)

    def commit(self, tree, parents, msg, date, author=b'A U Thor <author@example.org>'):
        """date: seconds since the epoch; author: the raw "name <email>" bytes."""
        head = b'tree ' + _b(tree) + b'\n'
        head += b''.join(b'parent ' + _b(p) + b'\n' for p in parents)
        head += b'author ' + _b(author) + b' %d +0000\n' % date
        head += b'committer C O Mitter <committer@example.org> %d +0000\n' % date
        return self.put('commit', head + b'\n' + _b(msg))

    def entries(self, treeish):
        """The (mode, name, hex id) of an existing tree, e.g. 'HEAD:content'."""
        raw = subprocess.check_output(['git', 'cat-file', 'tree', treeish])
        out, i = [], 0
        while i < len(raw):
            sp = raw.index(b' ', i)
            nul = raw.index(b'\0', sp)
            out.append((raw[i:sp], raw[sp + 1:nul], raw[nul + 1:nul + 21].hex()))
            i = nul + 21
        return out

    def save(self):
        """Writes every object as one pack (git index-pack checks no content)."""
        pack = bytearray(b'PACK' + (2).to_bytes(4, 'big') + len(self.objs).to_bytes(4, 'big'))
        for kind, body in self.objs:
            n = len(body)
            byte = _TYPES[kind] << 4 | (n & 15)
            n >>= 4
            while n:
                pack.append(byte | 0x80)
                byte, n = n & 0x7f, n >> 7
            pack.append(byte)
            pack += zlib.compress(body, 1)
        pack += hashlib.sha1(pack).digest()
        subprocess.run(['git', 'index-pack', '--stdin'], input=bytes(pack), check=True,
                       stdout=subprocess.DEVNULL)
        self.objs = []


def set_branch(commit, branch='main'):
    """Points the branch at commit; the index and working tree stay as they are."""
    git('update-ref', 'refs/heads/' + branch, commit)
