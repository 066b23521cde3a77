"""Reading the files of deploy/ as nginx, systemd and docker compose read them, so the tests run
the shipped files themselves: the site file, the units' commands, the example environment; and
Debian's nginx with the shipped site file in front of local processes (tests/deploy, bench/load.py).
"""

import os
import re
import shlex
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from ipaddress import ip_address
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.support.devservers import stop_process

ROOT = Path(__file__).resolve().parents[2]  # the repository
DEPLOY = ROOT / "deploy"
SITE_FILE = DEPLOY / "nginx" / "haven.conf"
UNITS = DEPLOY / "systemd"
ENV_EXAMPLE = DEPLOY / "haven.env.example"
COMPOSE = DEPLOY / "compose.yaml"
# Where the units expect Haven's virtualenv; its programs are this interpreter's modules here.
UNIT_BIN = "/opt/haven/.venv/bin/"
NGINX = Path("/usr/sbin/nginx")
MODULES = {"uvicorn": "uvicorn", "haven": "haven.cli"}


def env_file_values(path: Path = ENV_EXAMPLE) -> dict[str, str]:
    """The KEY=value lines an environment file sets (comments left out), as systemd reads it."""
    values = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, separator, value = line.partition("=")
            assert separator, f"{path}: not KEY=value: {line!r}"
            values[key.strip()] = value.strip()
    return values


def env_file_names(path: Path = ENV_EXAMPLE) -> set[str]:
    """Every variable the file names, set or offered in a comment (`#KEY=value`)."""
    return set(re.findall(r"^#?([A-Z][A-Z0-9_]+)=", path.read_text(), flags=re.MULTILINE))


def exec_start(unit: str) -> list[list[str]]:
    """The unit's ExecStart= command lines, each split into its arguments as systemd does."""
    text = (UNITS / unit).read_text().replace("\\\n", " ")
    return [
        shlex.split(line.removeprefix("ExecStart="))
        for line in text.splitlines()
        if line.startswith("ExecStart=")
    ]


def local_command(argv: list[str], env: dict[str, str], instance: str = "") -> list[str]:
    """A unit's command for this machine: the program from this virtualenv, systemd's `%i`
    (the instance) and `${VAR}` (from the environment file) filled in."""
    program = argv[0]
    assert program.startswith(UNIT_BIN), f"{program} is not in {UNIT_BIN}"
    module = MODULES[program.removeprefix(UNIT_BIN)]
    args = [
        re.sub(r"\$\{(\w+)\}", lambda name: env.get(name.group(1), ""), arg.replace("%i", instance))
        for arg in argv[1:]
    ]
    return [sys.executable, "-m", module, *args]


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and localhost, and its key, for a day."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ip_address("127.0.0.1")), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    certificate_path, key_path = folder / "fullchain.pem", folder / "privkey.pem"
    certificate_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return certificate_path, key_path


def site_file_here(folder: Path, http: int, https: int, web_ports: list[int]) -> str:
    """deploy/nginx/haven.conf with this machine's addresses, ports, names and paths."""
    text = SITE_FILE.read_text()
    replacements = {
        "listen 80;": f"listen 127.0.0.1:{http};",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https} ssl http2;",
        # The test machine may have no IPv6.
        "listen [::]:80;": "",
        "listen [::]:443 ssl http2;": "",
        "server_name haven.example.org;": "server_name 127.0.0.1 localhost;",
        "/etc/letsencrypt/live/haven.example.org/fullchain.pem": str(folder / "fullchain.pem"),
        "/etc/letsencrypt/live/haven.example.org/privkey.pem": str(folder / "privkey.pem"),
        "/var/www/letsencrypt": str(folder / "acme"),
        "/var/cache/haven/static/": f"{folder / 'static'}/",
        "/var/log/nginx/": f"{folder / 'logs'}/",
        # The shipped file names two processes; a host with more adds a line for each.
        "server 127.0.0.1:8001;\n    server 127.0.0.1:8002;": "\n    ".join(
            f"server 127.0.0.1:{port};" for port in web_ports
        ),
    }
    for shipped, here in replacements.items():
        assert shipped in text, f"{SITE_FILE} no longer says {shipped!r}: update this test"
        text = text.replace(shipped, here)
    return text


def nginx_main_file(folder: Path) -> str:
    """The part of nginx.conf around the site file: Debian's /etc/nginx/nginx.conf sets these in
    its http {} block around sites-enabled/*, and the site file must not set them again. Files
    and temporary folders are this test's."""
    # As root, nginx's workers would run as `nobody`, who cannot read this test's folders.
    user = "user root;" if os.geteuid() == 0 else ""
    temporary = "\n".join(
        f"    {kind}_temp_path {folder / 'temp' / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""{user}
worker_processes 1;
pid {folder / "nginx.pid"};
error_log {folder / "logs" / "error.log"};
events {{
    worker_connections 256;
}}
http {{
    sendfile on;
    tcp_nopush on;
    types_hash_max_size 2048;
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3;
    ssl_prefer_server_ciphers on;
    access_log {folder / "logs" / "access.log"};
    gzip on;
{temporary}
    include {folder / "haven.conf"};
}}
"""


@contextmanager
def running_nginx(folder: Path, http: int, https: int, web_ports: list[int]) -> Iterator[Path]:
    """Debian's nginx with the shipped site file in front of `web_ports`, on loopback with a
    self-signed certificate in `folder`; yields the certificate (for clients to trust)."""
    for part in ("logs", "static", "acme", "temp"):
        (folder / part).mkdir(exist_ok=True)
    certificate, _key = self_signed_certificate(folder)
    (folder / "haven.conf").write_text(site_file_here(folder, http, https, web_ports))
    (folder / "nginx.conf").write_text(nginx_main_file(folder))
    nginx = [str(NGINX), "-p", str(folder), "-c", str(folder / "nginx.conf")]
    nginx += ["-e", str(folder / "logs" / "error.log")]
    checked = subprocess.run([*nginx, "-t"], capture_output=True, text=True, timeout=30)
    if checked.returncode != 0:
        raise RuntimeError(f"nginx -t: {checked.stderr}")
    with (folder / "logs" / "nginx.log").open("ab") as output:
        process = subprocess.Popen(
            [*nginx, "-g", "daemon off;"], stdout=output, stderr=subprocess.STDOUT
        )
    try:
        yield certificate
    finally:
        stop_process(process, timeout=15)
