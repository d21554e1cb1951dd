"""The provider's certificate signing key on disk: made once by ``hnscc-edu keys init``, kept outside the repository.

The folder is ``HNSCC_EDU_KEY_DIR``, else ``~/.config/hnscc-edu/keys`` (the platform's configuration folder). It
holds the private key (``certificate-signing-key.pem``, mode 0600, in a folder of mode 0700) and its public half
(``certificate-signing-key.pub.pem``), which the provider publishes so that anyone can verify a certificate offline.
Only the process that issues certificates reads the private key; a verifier needs only the public one.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from .rules.signing import Signer, SigningKeyError, load_private_pem, load_public_pem, private_pem, public_pem

KEY_DIR_VARIABLE = "HNSCC_EDU_KEY_DIR"
PRIVATE_FILE = "certificate-signing-key.pem"
PUBLIC_FILE = "certificate-signing-key.pub.pem"


class NoSigningKey(SigningKeyError):
    """The key folder holds no key yet."""


@dataclass(frozen=True)
class KeyFiles:
    private: Path
    public: Path
    signer: Signer


def key_dir(configured: str | os.PathLike | None = None) -> Path:
    """The key folder: ``configured``, else ``HNSCC_EDU_KEY_DIR``, else the platform's configuration folder."""
    chosen = configured or os.environ.get(KEY_DIR_VARIABLE)
    if chosen:
        return Path(chosen).expanduser()
    return Path(platformdirs.user_config_dir("hnscc-edu", appauthor=False)) / "keys"


def _repositories() -> list[Path]:
    """The folders a key must stay out of: the course (content is committed and shared) and this package's
    checkout."""
    from .content.course import course_root

    checkout = Path(__file__).resolve().parents[1]
    found = [course_root().resolve()]
    if (checkout / "pyproject.toml").is_file():
        found.append(checkout)
    return found


def _inside(folder: Path, parent: Path) -> bool:
    return folder == parent or parent in folder.parents


def _write(path: Path, data: bytes, mode: int) -> None:
    """Write ``data`` to ``path`` with ``mode`` from the first byte (never readable by others, even briefly), through
    a temporary file renamed over the old one, so a failure leaves the old key whole."""
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.unlink(missing_ok=True)
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        os.fchmod(descriptor, mode)  # the umask may have removed bits, never added: make it exactly ``mode``
        os.write(descriptor, data)
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    os.replace(temporary, path)


def init(folder: Path, force: bool = False) -> KeyFiles:
    """Make a new signing key in ``folder``. Refuses a folder inside the course repository, and a folder that already
    holds a key unless ``force`` (certificates signed with the old key then no longer verify with the new one)."""
    folder = folder.expanduser().resolve()
    for repository in _repositories():
        if _inside(folder, repository):
            raise SigningKeyError(
                f"{folder} is inside the course repository ({repository}); keep the signing key "
                "outside it, where it cannot be committed or shared (the default folder is "
                "~/.config/hnscc-edu/keys)."
            )
    private_path, public_path = folder / PRIVATE_FILE, folder / PUBLIC_FILE
    if private_path.exists() and not force:
        try:
            existing = f" (key id {load_signer(folder).key_id})"
        except SigningKeyError:
            existing = ""
        raise SigningKeyError(
            f"{private_path} already holds a signing key{existing}. Give --force to replace it: "
            "certificates signed with the old key will then fail to verify against the new one."
        )
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    folder.chmod(0o700)
    signer = Signer.generate()
    _write(private_path, private_pem(signer.private), 0o600)
    _write(public_path, public_pem(signer.public).encode("ascii"), 0o644)
    return KeyFiles(private_path, public_path, signer)


def load_signer(folder: Path | None = None) -> Signer:
    """The provider's signing key from ``folder`` (default: ``key_dir()``)."""
    folder = folder or key_dir()
    path = folder / PRIVATE_FILE
    if not path.exists():
        raise NoSigningKey(
            f"There is no certificate signing key in {folder}. The provider makes one with "
            "'hnscc-edu keys init' (or sets HNSCC_EDU_KEY_DIR to the folder that holds it)."
        )
    data = _read(path)
    try:
        return Signer(load_private_pem(data))
    except SigningKeyError as exc:
        raise SigningKeyError(f"{path} is not usable as the signing key: {exc}") from exc


def load_public(folder: Path | None = None) -> Ed25519PublicKey:
    """The provider's public key from ``folder``: the private key's public half, or the public file alone."""
    folder = folder or key_dir()
    if (folder / PRIVATE_FILE).exists():
        return load_signer(folder).public
    if (folder / PUBLIC_FILE).exists():
        return read_public_key(folder / PUBLIC_FILE)
    raise NoSigningKey(
        f"There is no certificate signing key in {folder}: run 'hnscc-edu keys init', or verify with "
        "--public-key and the provider's published key."
    )


def read_public_key(source: str | os.PathLike) -> Ed25519PublicKey:
    """A public key from a PEM file, or from PEM text given as it is."""
    text = str(source)
    inline = text.lstrip().startswith("-----BEGIN")
    data = text.encode("ascii", "replace") if inline else _read(Path(source))
    try:
        return load_public_pem(data)
    except SigningKeyError as exc:
        name = "the PEM text given" if inline else str(source)
        raise SigningKeyError(f"{name} is not usable as the provider's public key: {exc}") from exc


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise SigningKeyError(f"{path} cannot be read ({exc.strerror or exc.__class__.__name__})") from exc


__all__ = [
    "KEY_DIR_VARIABLE",
    "KeyFiles",
    "NoSigningKey",
    "SigningKeyError",
    "init",
    "key_dir",
    "load_public",
    "load_signer",
    "public_pem",
    "read_public_key",
]
