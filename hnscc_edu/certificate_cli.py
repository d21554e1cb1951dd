"""Commands of certificates and their signing key: ``keys init | public``, ``certificate``, ``verify-certificate``,
``revoke-certificate``.

Registered on the main parser by ``cli.main``. Each prints one plain answer on success; on failure one line on stderr
and a non-zero exit (1 for "not earned", "not valid" or a refusal, 2 for a file, key or store that cannot be used),
never a traceback. ``verify-certificate --public-key`` reads the PDF and the key and nothing else: it opens no store
and writes no file, so anyone can run it on a copy of the PDF with the provider's published key.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .credit_cli import course_from_args, store_from_args


def add_certificate_commands(sub) -> None:
    def store_option(parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--db",
            metavar="URL",
            help="the store's SQLAlchemy URL (default: HNSCC_EDU_DB_URL, else the platform data folder)",
        )

    def key_dir_option(parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--key-dir",
            metavar="DIR",
            help="the signing key's folder (default: HNSCC_EDU_KEY_DIR, else ~/.config/hnscc-edu/keys)",
        )

    keys = sub.add_parser("keys", help="the provider's certificate signing key (Ed25519)")
    keys_sub = keys.add_subparsers(dest="keys_command", required=True)
    init = keys_sub.add_parser(
        "init", help="make the signing key, outside the repository, and print the public key to publish"
    )
    init.add_argument(
        "--dir", metavar="DIR", help="where to keep it (default: HNSCC_EDU_KEY_DIR, else ~/.config/hnscc-edu/keys)"
    )
    init.add_argument(
        "--force",
        action="store_true",
        help="replace an existing key (certificates signed with it then no longer verify)",
    )
    init.set_defaults(run=_keys_init)
    public = keys_sub.add_parser("public", help="print the public key (PEM) to publish; its id goes to stderr")
    public.add_argument("--dir", metavar="DIR", help="the key's folder (default as for init)")
    public.set_defaults(run=_keys_public)

    cert = sub.add_parser(
        "certificate",
        help="write a learner's signed certificate PDF (issued now when earned, a "
        "copy of the stored one when already issued)",
    )
    cert.add_argument("learner_id")
    cert.add_argument("--out", required=True, metavar="FILE.pdf", help="where to write the PDF")
    store_option(cert)
    key_dir_option(cert)
    cert.set_defaults(run=_certificate)

    verify = sub.add_parser(
        "verify-certificate",
        help="check a certificate PDF: its signature and its pages; with "
        "--public-key offline, else also against the store "
        "(exit 0 valid, 1 not valid, 2 cannot be checked)",
    )
    verify.add_argument("pdf", metavar="FILE.pdf")
    verify.add_argument(
        "--public-key",
        metavar="PEM",
        help="the provider's published public key (a PEM file): verify offline, without any store",
    )
    store_option(verify)
    key_dir_option(verify)
    verify.set_defaults(run=_verify)

    revoke = sub.add_parser(
        "revoke-certificate", help="revoke an issued certificate (its verification page then says revoked)"
    )
    revoke.add_argument("certificate_id", metavar="ID")
    revoke.add_argument("--reason", required=True, help="why (shown to the course director's verify-certificate)")
    store_option(revoke)
    revoke.set_defaults(run=_revoke)


def _fail(message: str, code: int = 1) -> int:
    print(f"hnscc-edu: {message}", file=sys.stderr)
    return code


# -- keys -----------------------------------------------------------------------------------------------------------
def _keys_init(args: argparse.Namespace) -> int:
    from . import keys

    folder = keys.key_dir(args.dir)
    try:
        made = keys.init(folder, force=args.force)
    except keys.SigningKeyError as exc:
        return _fail(str(exc))
    except OSError as exc:
        return _fail(f"the key cannot be written to {folder} ({exc.strerror or exc.__class__.__name__})", 2)
    print(
        f"Made the certificate signing key {made.signer.key_id}.\n"
        f"  private key: {made.private} (mode 0600: keep it secret and backed up; never commit or share it)\n"
        f"  public key:  {made.public}\n"
        "Publish the public key below (for example on the course's web page): with it anyone can verify a "
        "certificate offline,\n  hnscc-edu verify-certificate FILE.pdf --public-key PROVIDER-KEY.pem\n"
    )
    print(keys.public_pem(made.signer.public), end="")
    return 0


def _keys_public(args: argparse.Namespace) -> int:
    from . import keys
    from .rules.signing import key_id

    try:
        public = keys.load_public(keys.key_dir(args.dir))
    except keys.SigningKeyError as exc:
        return _fail(str(exc), 2)
    print(f"Key id {key_id(public)}", file=sys.stderr)
    print(keys.public_pem(public), end="")
    return 0


# -- certificates ---------------------------------------------------------------------------------------------------
def _lookup(store):
    """Find a certificate record (with its revocation) by id in ``store``."""
    from .sessions.credit_session import record_from_row
    from .store.credit import CreditStore

    credit_store = CreditStore(store)

    def lookup(certificate_id: str):
        row = credit_store.certificate(certificate_id)
        return record_from_row(row) if row is not None else None

    return lookup


def _certificate(args: argparse.Namespace) -> int:
    from .export import certificates
    from .keys import key_dir
    from .rules.learner_path import PathError
    from .sessions.credit_session import CertificateKeyError, LearnerPath
    from .store import StoreError
    from .store.credit import CreditStore

    try:
        content, store = course_from_args(args), store_from_args(args)
        if args.learner_id not in CreditStore(store).learner_ids():
            return _fail(f"there is no learner {args.learner_id!r} in the store ({store.url})")
        path = LearnerPath(content, store, args.learner_id, key_folder=key_dir(args.key_dir))
        record = path.certificate()
        written = certificates.write(record, Path(args.out))
    except CertificateKeyError as exc:
        return _fail(f"no certificate for {args.learner_id}: {exc}", 2)
    except PathError as exc:
        return _fail(f"no certificate for {args.learner_id}: {exc}")
    except StoreError as exc:
        return _fail(str(exc), 2)
    draft = (
        " (practice record: not for credit)" if record.practice else " (draft: not for credit)" if record.draft else ""
    )
    print(
        f"Wrote {written}: {record.payload['certificate_title']}, {record.credit_line}, certificate "
        f"{record.certificate_id}{draft}, signed with key {record.payload['key_id']}. Anyone can check it at "
        f"{record.payload['verification_url']}"
    )
    return 0


def _verify(args: argparse.Namespace) -> int:
    from . import keys
    from .export import certificate_check
    from .store import StoreError

    try:
        data = Path(args.pdf).read_bytes()
    except OSError as exc:
        return _fail(f"{args.pdf} cannot be read ({exc.strerror or exc.__class__.__name__})", 2)
    try:
        if args.public_key:
            public = keys.read_public_key(args.public_key)
        else:
            public = keys.load_public(keys.key_dir(args.key_dir))
    except keys.SigningKeyError as exc:
        return _fail(str(exc), 2)
    try:
        if args.public_key and not args.db:
            result = certificate_check.verify(data, public)  # offline: no store is opened, nothing is written
        else:
            result = certificate_check.verify_with_store(data, public, _lookup(store_from_args(args)))
    except StoreError as exc:
        return _fail(str(exc), 2)
    except Exception:  # noqa: BLE001 - a damaged file must never end in a traceback
        return _fail(f"{args.pdf} cannot be checked: it is not a readable certificate PDF", 2)
    if not result.ok:
        return _fail(f"{args.pdf}: {result.message}", result.code)
    print(f"{args.pdf}: {result.message}")
    return 0


def _revoke(args: argparse.Namespace) -> int:
    from .sessions.credit_session import RevocationRefused, revoke_certificate
    from .store import StoreError

    try:
        store = store_from_args(args)
        record = revoke_certificate(store, args.certificate_id, args.reason)
    except RevocationRefused as exc:
        message = str(exc)[0].lower() + str(exc)[1:]
        return _fail(f"{message} (--reason)" if exc.bad_input else message, 2 if exc.bad_input else 1)
    except StoreError as exc:
        return _fail(str(exc), 2)
    reason = " ".join(args.reason.split())
    print(
        f"Revoked certificate {record.certificate_id} ({record.payload['learner_name']}, {record.credit_line}): "
        f"{reason}. Its verification page now says revoked, and verify-certificate against the store fails."
    )
    return 0
