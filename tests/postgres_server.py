"""A throw-away PostgreSQL server on a private loopback port, from Debian's packages (tests only).

Debian keeps the server programs under /usr/lib/postgresql/<version>/bin, and the server refuses to run as root, so
as root it runs as the ``postgres`` system user in a data folder that user owns.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


def server_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    return Path(found[-1]).parent if found else None


class PostgresServer:
    def __init__(self) -> None:
        bin_dir = server_bin()
        if bin_dir is None:
            raise RuntimeError("PostgreSQL is not installed (Debian package: postgresql)")
        self.bin = bin_dir
        self.folder = Path(tempfile.mkdtemp(prefix="hnscc-edu-pg-"))
        self.data = self.folder / "data"
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.as_root = os.geteuid() == 0
        if self.as_root:
            shutil.chown(self.folder, user="postgres", group="postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.folder / "server.log"),
            "-w",
            "-o",
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder}",
            "start",
        )
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "hnscc_edu")
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/hnscc_edu"

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.bin / program), *args]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, cwd=self.folder)

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
