"""
fnvcollide.py: words for the setup.sh of tests/hostile cases that need keys
crafted against an unkeyed hash table: words of 7 letters and digits whose
FNV-1a hash (32 or 64 bits) ends in the same low bits, so that a table of
up to 2^bits slots that placed them by that hash would put all of them in
one run of slots.

FNV-1a's low bits depend only on the state's low bits, and each of its steps
(xor a byte, multiply by an odd prime) is a bijection on them, so a meet in
the middle finds every such word fast: the state after each 3-byte prefix,
forwards from the offset basis; the state each 4-byte suffix needs, backwards
from the target. A suffix and each prefix that reaches its state make a word.

    import sys; sys.path.insert(0, sys.argv[1])
    import fnvcollide
    words = fnvcollide.words(fnvcollide.FNV64, 18, 100000)
"""
import itertools

ALPHABET = b'abcdefghijklmnopqrstuvwxyz0123456789'
FNV32 = (2166136261, 16777619)            # offset basis, prime
FNV64 = (14695981039346656037, 1099511628211)


def words(fnv, bits, count, target=0):
    """count words (bytes) whose hash is target, target + 1, ... in the low bits."""
    offset, prime = fnv
    mask = (1 << bits) - 1
    inverse = pow(prime, -1, 1 << bits)
    prime &= mask
    states = [(b'', offset & mask)]
    for _ in range(3):
        states = [(s + bytes((c,)), ((h ^ c) * prime) & mask) for s, h in states for c in ALPHABET]
    prefixes = {}
    for s, h in states:
        prefixes.setdefault(h, []).append(s)
    out = []
    for t in itertools.count(target):
        back = [(b'', t & mask)]
        for _ in range(3):
            back = [(bytes((c,)) + s, ((h * inverse) & mask) ^ c) for s, h in back for c in ALPHABET]
        for s, h in back:
            h = (h * inverse) & mask
            for c in ALPHABET:
                for p in prefixes.get(h ^ c, ()):
                    out.append(p + bytes((c,)) + s)
                    if len(out) == count:
                        return out
