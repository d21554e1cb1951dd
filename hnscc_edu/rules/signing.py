"""Ed25519 signatures over certificate records, as pure functions of keys and bytes (no files; ``hnscc_edu.keys``
keeps the provider's key on disk).

The provider signs the canonical JSON of a certificate's record with its private key; anyone holding the published
public key checks it. A key is named by its id: the first 16 hex digits of the SHA-256 of the raw public key, in
groups of four (``1a2b-3c4d-5e6f-7a8b``), printed on every certificate and by ``hnscc-edu keys public``, so a
verifier can see that the key they hold is the one a certificate names.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey


class SigningKeyError(ValueError):
    """A key that cannot be read, or is not an Ed25519 key; the message says which and why."""


def key_id(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    digest = hashlib.sha256(raw).hexdigest()[:16]
    return "-".join(digest[i : i + 4] for i in range(0, 16, 4))


def public_pem(public: Ed25519PublicKey) -> str:
    return public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode(
        "ascii"
    )


def private_pem(private: Ed25519PrivateKey) -> bytes:
    return private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def load_public_pem(data: bytes) -> Ed25519PublicKey:
    """The Ed25519 public key in PEM ``data``; a private key's PEM gives its public half."""
    if b"PRIVATE KEY" in data:
        return load_private_pem(data).public_key()
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
        raise SigningKeyError("it is not a PEM public key") from exc
    if not isinstance(key, Ed25519PublicKey):
        raise SigningKeyError(f"it is a {type(key).__name__.removeprefix('_')}, not an Ed25519 public key")
    return key


def load_private_pem(data: bytes) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
        raise SigningKeyError("it is not an unencrypted PEM private key") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningKeyError("it is not an Ed25519 private key")
    return key


def signature_valid(public: Ed25519PublicKey, message: bytes, signature: str) -> bool:
    """True when ``signature`` (base64) is the key's signature of ``message``; False for anything else."""
    try:
        raw = base64.b64decode(signature.encode("ascii"), validate=True)
        public.verify(raw, message)
    except (InvalidSignature, binascii.Error, ValueError, UnicodeEncodeError, AttributeError):
        return False
    return True


@dataclass(frozen=True)
class Signer:
    """The provider's private key, in memory: signs records (base64 signatures)."""

    private: Ed25519PrivateKey

    @classmethod
    def generate(cls) -> Signer:
        """A new key: for ``hnscc-edu keys init``, and as a throw-away key for a throw-away demo store."""
        return cls(Ed25519PrivateKey.generate())

    @property
    def public(self) -> Ed25519PublicKey:
        return self.private.public_key()

    @property
    def key_id(self) -> str:
        return key_id(self.public)

    def sign(self, message: bytes) -> str:
        return base64.b64encode(self.private.sign(message)).decode("ascii")
