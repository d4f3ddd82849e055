"""A Merkle tree over the events in append order, hashed as RFC 9162 (Certificate Transparency).

leaf = SHA-256(0x00 || the event's canonical line), node = SHA-256(0x01 || left || right), and
the tree of n leaves splits at the largest power of two below n. A signed root then proves,
with log2(n) hashes each, that an event is in the ledger (inclusion) and that a later ledger
extends an earlier one (consistency), to someone who holds neither ledger. The tree is
independent of the SHA-256 chain: the chain proves order to whoever holds every event; the tree
proves membership to whoever holds one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

HASH_BYTES = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(size: int) -> int:
    """The largest power of two smaller than `size` (> 1): where RFC 9162 splits a tree."""
    return 1 << ((size - 1).bit_length() - 1)


class Frontier:
    """The roots of the perfect subtrees of the leaves so far: a tree's root at any size,
    with log2(n) hashes of memory, as leaves stream past."""

    def __init__(self) -> None:
        self.size = 0
        self._stack: list[tuple[int, bytes]] = []  # (leaves, hash), sizes strictly falling

    def add(self, leaf: bytes) -> None:
        """Append a leaf hash."""
        size, digest = 1, leaf
        while self._stack and self._stack[-1][0] == size:
            left_size, left = self._stack.pop()
            size, digest = left_size + size, node_hash(left, digest)
        self._stack.append((size, digest))
        self.size += 1

    def root(self) -> bytes:
        if not self._stack:
            return EMPTY_ROOT
        digest = self._stack[-1][1]
        for _, left in reversed(self._stack[:-1]):
            digest = node_hash(left, digest)
        return digest


class Leaves:
    """Every leaf hash of a tree, packed (32 bytes each), to draw proofs from."""

    def __init__(self, leaves: Iterable[bytes] = ()) -> None:
        self._packed = bytearray()
        for leaf in leaves:
            self.add(leaf)

    def add(self, leaf: bytes) -> None:
        self._packed += leaf

    def __len__(self) -> int:
        return len(self._packed) // HASH_BYTES

    def __getitem__(self, index: int) -> bytes:
        return bytes(self._packed[index * HASH_BYTES : (index + 1) * HASH_BYTES])

    def root(self, lo: int = 0, hi: int | None = None) -> bytes:
        """The root of the subtree of leaves [lo, hi)."""
        frontier = Frontier()
        for index in range(lo, len(self) if hi is None else hi):
            frontier.add(self[index])
        return frontier.root()

    def inclusion(self, indices: Iterable[int], size: int | None = None) -> dict[int, list[bytes]]:
        """The audit path of each leaf index in the tree of the first `size` leaves, bottom
        first; one walk over the tree for all of them."""
        size = len(self) if size is None else size
        wanted = sorted(set(indices))
        if any(not 0 <= index < size for index in wanted):
            raise ValueError(f"leaf index out of range for a tree of {size}")
        paths: dict[int, list[bytes]] = {index: [] for index in wanted}
        if wanted:
            self._walk(0, size, wanted, paths)
        return paths

    def _walk(
        self, lo: int, hi: int, wanted: Sequence[int], paths: dict[int, list[bytes]]
    ) -> bytes:
        if not wanted:
            return self.root(lo, hi)
        if hi - lo == 1:
            return self[lo]
        middle = lo + _split(hi - lo)
        left_wanted = [index for index in wanted if index < middle]
        right_wanted = [index for index in wanted if index >= middle]
        left = self._walk(lo, middle, left_wanted, paths)
        right = self._walk(middle, hi, right_wanted, paths)
        for index in left_wanted:
            paths[index].append(right)
        for index in right_wanted:
            paths[index].append(left)
        return node_hash(left, right)

    def consistency(self, first: int, second: int | None = None) -> list[bytes]:
        """The proof that the tree of `second` leaves extends the tree of `first`."""
        second = len(self) if second is None else second
        if not 0 < first <= second <= len(self):
            raise ValueError(f"no consistency proof from {first} to {second} leaves")
        if first == second:
            return []
        return self._subproof(first, 0, second, True)

    def _subproof(self, m: int, lo: int, hi: int, whole: bool) -> list[bytes]:
        size = hi - lo
        if m == size:
            return [] if whole else [self.root(lo, hi)]
        k = _split(size)
        if m <= k:
            return [*self._subproof(m, lo, lo + k, whole), self.root(lo + k, hi)]
        return [*self._subproof(m - k, lo + k, hi, False), self.root(lo, lo + k)]


def root_of(lines: Iterable[bytes]) -> bytes:
    """The root of the tree over these canonical lines."""
    frontier = Frontier()
    for line in lines:
        frontier.add(leaf_hash(line))
    return frontier.root()


def verify_inclusion(
    leaf: bytes, index: int, size: int, path: Sequence[bytes], root: bytes
) -> bool:
    """RFC 9162 2.1.3.2: is the leaf hash at `index` in the tree of `size` with this root?"""
    if not 0 <= index < size:
        return False
    fn, sn, digest = index, size - 1, leaf
    for sibling in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            digest = node_hash(sibling, digest)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            digest = node_hash(digest, sibling)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and digest == root


def verify_consistency(
    first: int, first_root: bytes, second: int, second_root: bytes, proof: Sequence[bytes]
) -> bool:
    """RFC 9162 2.1.4.2: does the tree of `second` leaves extend the tree of `first`?"""
    if not 0 < first <= second:
        return False
    if first == second:
        return not proof and first_root == second_root
    path = list(proof)
    if first & (first - 1) == 0:  # a power of two: the old root is a node of the new tree
        path.insert(0, first_root)
    if not path:
        return False
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    old = new = path[0]
    for sibling in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            old, new = node_hash(sibling, old), node_hash(sibling, new)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            new = node_hash(new, sibling)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and old == first_root and new == second_root
