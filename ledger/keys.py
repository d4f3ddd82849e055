"""Ed25519 keys: making a pair, reading them back, signing and checking signatures.

The private key is a PEM file (PKCS #8, unencrypted, readable by its owner only: keep it off
the database server); the public key is a PEM file beside it (`KEY.pub`) that anyone may hold.
A key is named by its id, the first 16 hex digits of SHA-256 over its 32 raw bytes, so a
checkpoint says which key signed it without carrying the key.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from ledger.errors import UsageError

PUBLIC_SUFFIX = ".pub"


def key_id(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


@dataclass(frozen=True)
class Signer:
    """A private key that signs."""

    private: Ed25519PrivateKey

    @property
    def id(self) -> str:
        return key_id(self.private.public_key())

    def sign(self, data: bytes) -> bytes:
        return self.private.sign(data)


@dataclass(frozen=True)
class PublicKey:
    """A public key that checks signatures."""

    public: Ed25519PublicKey
    source: str  # where it was read from, for messages

    @property
    def id(self) -> str:
        return key_id(self.public)

    def verifies(self, signature: bytes, data: bytes) -> bool:
        try:
            self.public.verify(signature, data)
        except InvalidSignature:
            return False
        return True


def generate(path: Path) -> tuple[Signer, Path]:
    """A new key pair: the private key at `path` (mode 0600), the public one at `path`.pub.

    Neither file may exist already: a key is never overwritten.
    """
    public_path = path.with_name(path.name + PUBLIC_SUFFIX)
    for existing in (path, public_path):
        if os.path.lexists(existing):
            raise UsageError(f"{existing} already exists: a key is never overwritten")
    private = Ed25519PrivateKey.generate()
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    # O_EXCL: made by this call and by no one else; 0600 from the start, never readable by others.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(pem)
    try:
        with public_path.open("xb") as handle:
            handle.write(public_pem)
    except BaseException:
        path.unlink()  # made above by this call: never a private key without its public one
        raise
    return Signer(private), public_path


def load_signer(path: Path) -> Signer:
    """The Ed25519 private key in the PEM file at `path`."""
    try:
        key = serialization.load_pem_private_key(_read(path, "private key"), password=None)
    except (ValueError, TypeError) as error:  # malformed, or protected by a passphrase
        raise UsageError(f"{path}: cannot read the private key ({error})") from error
    if not isinstance(key, Ed25519PrivateKey):
        raise UsageError(f"{path}: not an Ed25519 private key (make one with `ledger keygen`)")
    return Signer(key)


def load_public(path: Path) -> PublicKey:
    """The Ed25519 public key in the PEM file at `path` (a private key's file also works)."""
    data = _read(path, "public key")
    try:
        key = serialization.load_pem_public_key(data)
    except ValueError:
        private = load_signer(path)  # given the private key: its public half
        return PublicKey(private.private.public_key(), str(path))
    if not isinstance(key, Ed25519PublicKey):
        raise UsageError(f"{path}: not an Ed25519 public key (make one with `ledger keygen`)")
    return PublicKey(key, str(path))


def _read(path: Path, what: str) -> bytes:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise UsageError(f"{path}: cannot read the {what} ({error.strerror})") from error
    if b"-----BEGIN" not in data:
        raise UsageError(f"{path}: not a PEM {what} (make one with `ledger keygen`)")
    return data
