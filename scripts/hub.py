"""``make hub``: a JupyterHub with the course on this machine, for a provider to try (deploy/jupyterhub_config.py).

It installs configurable-http-proxy with npm into the virtual environment when it is missing, makes the provider's
signing key when there is none, starts the hub on http://127.0.0.1:8000 in the foreground, prints how to sign in,
and stops cleanly with Ctrl-C (the hub stops the learners' servers and its services).

Settings (environment variables, all optional): HNSCC_HUB_PORT (8000), HNSCC_HUB_AUTH ("shared": any name and one
password, the default here; "native": register and be approved), HNSCC_HUB_PASSWORD (made and printed when
unset), HNSCC_HUB_STATE (the hub's folder), HNSCC_EDU_DB_URL (the course store; SQLite in the hub's folder when
unset, a PostgreSQL URL for a class).
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import platformdirs

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "deploy" / "jupyterhub_config.py"
PROXY_PACKAGE = "configurable-http-proxy@5"
# The hub stops its services with SIGINT, but a process started in the background can inherit SIGINT as ignored
# (and passes that on to its children). The hub's own Python restores it before JupyterHub starts, rather than a
# preexec_fn in the parent, which is unsafe while the parent runs threads (the tests' servers do).
HUB_COMMAND = [
    sys.executable,
    "-c",
    (
        "import runpy, signal; signal.signal(signal.SIGINT, signal.default_int_handler); "
        "runpy.run_module('jupyterhub', run_name='__main__', alter_sys=True)"
    ),
    "-f",
    str(CONFIG),
]


def proxy_program(prefix: Path) -> Path:
    """configurable-http-proxy under ``prefix`` (npm's local install), installed there when missing."""
    program = prefix / "node_modules" / ".bin" / "configurable-http-proxy"
    if program.exists():
        return program
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        raise SystemExit("make hub needs Node.js and npm for JupyterHub's proxy (Debian: apt-get install nodejs npm).")
    prefix.mkdir(parents=True, exist_ok=True)
    print(f"Installing {PROXY_PACKAGE} into {prefix} (once) ...", flush=True)
    subprocess.run(
        [npm, "install", "--prefix", str(prefix), "--no-audit", "--no-fund", "--loglevel=error", PROXY_PACKAGE],
        check=True,
    )
    if not program.exists():
        raise SystemExit(f"npm finished but {program} is missing")
    return program


def hub_environment(state: Path, environ: dict[str, str]) -> dict[str, str]:
    """The hub's environment: the proxy, the state folder, a signing key, and a shared password when none is set."""
    env = dict(environ)
    env.setdefault("HNSCC_HUB_STATE", str(state))
    env.setdefault("HNSCC_HUB_AUTH", "shared")
    env["HNSCC_HUB_PROXY"] = str(proxy_program(Path(sys.prefix) / "hub-proxy"))
    key_dir = Path(env.setdefault("HNSCC_EDU_KEY_DIR", str(state / "keys")))
    from hnscc_edu import keys

    if not (key_dir / keys.PRIVATE_FILE).exists():
        keys.init(key_dir)
    if env["HNSCC_HUB_AUTH"] == "shared":
        env["HNSCC_HUB_PASSWORD"] = env.get("HNSCC_HUB_PASSWORD") or saved_secret(state / "hub-password", 9)
        env["HNSCC_HUB_ADMIN_PASSWORD"] = env.get("HNSCC_HUB_ADMIN_PASSWORD") or saved_secret(
            state / "hub-admin-password", 32
        )
    return env


def saved_secret(path: Path, size: int) -> str:
    """The secret kept in ``path`` (mode 0600), made once with ``size`` random bytes."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(secrets.token_urlsafe(size))
    return path.read_text(encoding="utf-8").strip()


def main() -> int:
    state = Path(os.environ.get("HNSCC_HUB_STATE") or Path(platformdirs.user_data_dir("hnscc-edu")) / "hub")
    env = hub_environment(state, dict(os.environ))
    port = env.get("HNSCC_HUB_PORT", "8000")
    print(f"\nThe course hub: http://127.0.0.1:{port}/  (hub folder: {state})")
    if env["HNSCC_HUB_AUTH"] == "shared":
        print(f"  Learners: sign in with any name and the password {env['HNSCC_HUB_PASSWORD']}")
        print(
            f"  Course director: sign in as {env.get('HNSCC_HUB_DIRECTORS', 'director')} with the admin password "
            f"in {state / 'hub-admin-password'}"
        )
    else:
        print("  Register at /hub/signup; a course director approves new accounts at /hub/authorize.")
    print("  Stop with Ctrl-C.\n", flush=True)
    hub = subprocess.Popen(HUB_COMMAND, cwd=state if state.exists() else None, env=env)
    try:
        return hub.wait()
    except KeyboardInterrupt:
        hub.send_signal(signal.SIGINT)  # the terminal sent it to the hub too; once more does no harm
        try:
            return hub.wait(timeout=60)
        except subprocess.TimeoutExpired:
            hub.terminate()
            return hub.wait()


if __name__ == "__main__":
    sys.exit(main())
