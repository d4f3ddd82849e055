"""The Merkle tree over events: RFC 9162 roots, inclusion and consistency proofs, and forgeries."""

from __future__ import annotations

import hashlib

from hypothesis import given
from hypothesis import strategies as st

from ledger.store.merkle import (
    EMPTY_ROOT,
    Frontier,
    Leaves,
    leaf_hash,
    node_hash,
    root_of,
    verify_consistency,
    verify_inclusion,
)


def _reference_root(lines: list[bytes]) -> bytes:
    """MTH as RFC 9162 2.1.1 defines it, recursively."""
    if not lines:
        return hashlib.sha256(b"").digest()
    if len(lines) == 1:
        return hashlib.sha256(b"\x00" + lines[0]).digest()
    k = 1
    while k * 2 < len(lines):
        k *= 2
    return hashlib.sha256(
        b"\x01" + _reference_root(lines[:k]) + _reference_root(lines[k:])
    ).digest()


def _lines(n: int) -> list[bytes]:
    return [f'{{"id":"e-{i}"}}'.encode() for i in range(n)]


def test_known_roots_match_the_rfc_definition_at_every_small_size() -> None:
    """The streamed root equals RFC 9162's recursive MTH for 0..40 leaves."""
    for n in range(41):
        assert root_of(_lines(n)) == _reference_root(_lines(n)), n
    assert root_of([]) == EMPTY_ROOT


def test_two_leaves_hash_with_the_domain_prefixes() -> None:
    """leaf = H(0x00||d), node = H(0x01||l||r): second-preimage resistant as in CT."""
    a, b = b"a", b"b"
    expected = hashlib.sha256(
        b"\x01" + hashlib.sha256(b"\x00a").digest() + hashlib.sha256(b"\x00b").digest()
    ).digest()
    assert root_of([a, b]) == expected == node_hash(leaf_hash(a), leaf_hash(b))


@given(st.integers(min_value=1, max_value=70), st.data())
def test_every_inclusion_proof_verifies_against_the_root(n: int, data: st.DataObject) -> None:
    """Each leaf's audit path, drawn in one walk, leads to the tree's root."""
    leaves = Leaves(leaf_hash(line) for line in _lines(n))
    size = data.draw(st.integers(min_value=1, max_value=n))
    root = leaves.root(0, size)
    chosen = data.draw(st.lists(st.integers(min_value=0, max_value=size - 1), max_size=6))
    paths = leaves.inclusion(chosen, size)
    for index in chosen:
        assert verify_inclusion(leaves[index], index, size, paths[index], root)


@given(st.integers(min_value=2, max_value=70), st.data())
def test_a_forged_inclusion_proof_is_refused(n: int, data: st.DataObject) -> None:
    """Another leaf, another index, a changed hash or a shortened path: all refused."""
    leaves = Leaves(leaf_hash(line) for line in _lines(n))
    root = leaves.root()
    index = data.draw(st.integers(min_value=0, max_value=n - 1))
    path = leaves.inclusion([index])[index]
    assert not verify_inclusion(leaf_hash(b"forged"), index, n, path, root)
    assert not verify_inclusion(leaves[index], (index + 1) % n, n, path, root)
    assert not verify_inclusion(leaves[index], index, n, path, leaf_hash(b"other root"))
    if path:
        assert not verify_inclusion(leaves[index], index, n, path[:-1], root)
        bent = [bytes(32), *path[1:]]
        assert not verify_inclusion(leaves[index], index, n, bent, root)


@given(st.integers(min_value=1, max_value=70), st.data())
def test_consistency_proofs_verify_between_any_two_sizes(n: int, data: st.DataObject) -> None:
    """The tree of `second` leaves provably extends the tree of any `first` <= second."""
    leaves = Leaves(leaf_hash(line) for line in _lines(n))
    second = data.draw(st.integers(min_value=1, max_value=n))
    first = data.draw(st.integers(min_value=1, max_value=second))
    proof = leaves.consistency(first, second)
    assert verify_consistency(first, leaves.root(0, first), second, leaves.root(0, second), proof)


@given(st.integers(min_value=2, max_value=70), st.data())
def test_a_rewritten_history_fails_the_consistency_proof(n: int, data: st.DataObject) -> None:
    """An earlier root from a ledger whose first events differ does not verify."""
    second = data.draw(st.integers(min_value=2, max_value=n))
    first = data.draw(st.integers(min_value=1, max_value=second - 1))
    honest = Leaves(leaf_hash(line) for line in _lines(n))
    changed = _lines(n)
    changed[data.draw(st.integers(min_value=0, max_value=first - 1))] = b'{"id":"rewritten"}'
    forged = Leaves(leaf_hash(line) for line in changed)
    proof = forged.consistency(first, second)
    assert not verify_consistency(
        first, honest.root(0, first), second, forged.root(0, second), proof
    )


def test_the_frontier_gives_the_root_at_every_size_as_leaves_stream() -> None:
    """One pass gives every intermediate root (what verify --public-key relies on)."""
    lines = _lines(33)
    frontier = Frontier()
    for size, line in enumerate(lines, start=1):
        frontier.add(leaf_hash(line))
        assert frontier.root() == _reference_root(lines[:size])
