"""A throwaway PostgreSQL cluster for the team tests, the crash runs and `make bench`.

It is started from the server binaries on the machine (`initdb`, `pg_ctl`), listens on a free
port of 127.0.0.1 and on a socket in its own folder, asks every role for its password
(SCRAM; the tests keep them in a `.pgpass` file, as a user would) and speaks TLS with a
self-signed certificate it makes with `openssl`. PostgreSQL refuses to run as root: under
root the cluster runs as the `postgres` user (Debian's package makes it) or `nobody`, in a
folder of /tmp that user can write (a clean clone may sit in a folder only root can enter).
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

SUPERUSER = "spanwise_admin"
SUPERUSER_PASSWORD = "admin-secret-for-tests"


def server_bin() -> Path | None:
    """The folder holding initdb, pg_ctl and postgres, newest version first; None if absent."""
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    return Path(candidates[-1]).parent if candidates else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _server_user() -> pwd.struct_passwd | None:
    """Who runs the server when we are root (None: ourselves)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            return pwd.getpwnam(name)
    raise RuntimeError("running as root and there is no postgres or nobody user for the server")


@dataclass
class Cluster:
    """A running cluster: where it listens, and the files a client needs to reach it."""

    folder: Path
    port: int
    bindir: Path
    user: pwd.struct_passwd | None
    passwords: dict[str, str] = field(default_factory=dict)

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def socket_dir(self) -> Path:
        return self.folder / "socket"

    @property
    def certificate(self) -> Path:
        """The server's self-signed certificate: the root a client verifies it against."""
        return self.folder / "server.crt"

    @property
    def pgpass(self) -> Path:
        return self.folder / "client" / "pgpass"

    def url(
        self,
        user: str = SUPERUSER,
        database: str = "postgres",
        host: str = "127.0.0.1",
        **extra: str,
    ) -> str:
        """A libpq address without a password (libpq finds it in PGPASSFILE)."""
        query = "&".join(f"{k}={v}" for k, v in extra.items())
        return f"postgresql://{user}@{host}:{self.port}/{database}" + (f"?{query}" if query else "")

    def remember_password(self, role: str, password: str) -> None:
        """Write a .pgpass line for the role, as a user does (the file must be 0600)."""
        self.passwords[role] = password
        lines = [f"*:{self.port}:*:{r}:{p}" for r, p in self.passwords.items()]
        self.pgpass.parent.mkdir(exist_ok=True)
        self.pgpass.write_text("\n".join(lines) + "\n", encoding="utf-8")
        self.pgpass.chmod(0o600)

    def environment(self) -> dict[str, str]:
        """What a client process needs: the password file, and nothing of the user's own."""
        return {"PGPASSFILE": str(self.pgpass), "PGCONNECT_TIMEOUT": "10"}

    def _as_server(self, args: list[str], check: bool = True) -> subprocess.CompletedProcess:
        command = [str(self.bindir / args[0]), *args[1:]]
        if self.user is not None:
            command = ["runuser", "-u", self.user.pw_name, "--", *command]
        return subprocess.run(
            command, capture_output=True, text=True, check=check, cwd=self.folder, timeout=120
        )

    def start(self) -> None:
        self._as_server(
            [
                "pg_ctl",
                "-D",
                str(self.data),
                "-l",
                str(self.folder / "server.log"),
                "-w",
                "-t",
                "60",
                "-o",
                f"-p {self.port} -k {self.socket_dir}",
                "start",
            ]
        )

    def stop(self, mode: str = "fast") -> None:
        self._as_server(["pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop"], check=False)

    def restart(self) -> None:
        """Stop (immediately: connections are cut as by a crash) and start again."""
        self.stop("immediate")
        self.start()

    def log(self) -> str:
        try:
            return (self.folder / "server.log").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""


def make_certificate(folder: Path) -> None:
    """server.crt and server.key in `folder`: self-signed, for localhost and 127.0.0.1."""
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            str(folder / "server.key"),
            "-out",
            str(folder / "server.crt"),
            "-days",
            "2",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost,IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )


HBA = """\
local all all scram-sha-256
host all all 127.0.0.1/32 scram-sha-256
host all all ::1/128 scram-sha-256
"""


def create_cluster(bindir: Path | None = None) -> Cluster:
    """initdb a new cluster with TLS and password authentication, and start it."""
    bindir = bindir or server_bin()
    if bindir is None:
        raise RuntimeError("no PostgreSQL server binaries")
    base = Path("/tmp") if Path("/tmp").is_dir() else Path(tempfile.gettempdir())
    folder = Path(tempfile.mkdtemp(prefix="spanwise-pg-", dir=base))
    folder.chmod(0o755)
    user = _server_user()
    cluster = Cluster(folder, _free_port(), bindir, user)
    cluster.socket_dir.mkdir()
    (folder / "client").mkdir()
    (folder / "client").chmod(0o700)
    password_file = folder / "superuser-password"
    password_file.write_text(SUPERUSER_PASSWORD + "\n", encoding="utf-8")
    make_certificate(folder)
    if user is not None:
        for path in (folder, cluster.socket_dir, password_file, folder / "server.key"):
            os.chown(path, user.pw_uid, user.pw_gid)
    (folder / "server.key").chmod(0o600)
    cluster._as_server(
        [
            "initdb",
            "-D",
            str(cluster.data),
            "-U",
            SUPERUSER,
            f"--pwfile={password_file}",
            "--auth=scram-sha-256",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        ]
    )
    password_file.unlink()
    (cluster.data / "pg_hba.conf").write_text(HBA, encoding="utf-8")
    with (cluster.data / "postgresql.conf").open("a", encoding="utf-8") as conf:
        conf.write(
            "listen_addresses = '127.0.0.1'\n"
            "ssl = on\n"
            f"ssl_cert_file = '{folder / 'server.crt'}'\n"
            f"ssl_key_file = '{folder / 'server.key'}'\n"
            # a throwaway cluster: an OS crash is not under test (a server crash is: commits
            # still reach the OS before they are acknowledged)
            "fsync = off\n"
            "full_page_writes = off\n"
            "max_connections = 60\n"
            "shared_buffers = 256MB\n"
            "log_min_messages = warning\n"
        )
    cluster.remember_password(SUPERUSER, SUPERUSER_PASSWORD)
    cluster.start()
    return cluster


def destroy_cluster(cluster: Cluster) -> None:
    cluster.stop("immediate")
    shutil.rmtree(cluster.folder, ignore_errors=True)


@contextlib.contextmanager
def running_cluster() -> Iterator[Cluster]:
    cluster = create_cluster()
    try:
        yield cluster
    finally:
        destroy_cluster(cluster)
