"""An ASGI live server for browser tests of live pages: uvicorn in a subprocess on a free port,
against the test's file database. pytest-django's `live_server` is WSGI and cannot stream."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 30.0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _database_url() -> str:
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "onestop.core.db.sqlite":
        pytest.skip("browser tests of live pages run on the SQLite file database")
    name = str(database["NAME"])
    if name == ":memory:" or "mode=memory" in name:
        pytest.fail("the ASGI server needs a file test database (DATABASES TEST NAME)")
    return f"sqlite:///{Path(name).resolve()}"


def _wait_until_up(process: subprocess.Popen[bytes], url: str, log: IO[bytes]) -> None:
    """Poll until the server answers (no fixed sleep): fail early if it dies."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            output = log.read().decode(errors="replace")[-2000:]
            pytest.fail(f"uvicorn exited with {process.returncode}: {output}")
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status < 500:
                    return
        except urllib.error.HTTPError as error:
            if error.code < 500:
                return
        except OSError:
            pass
        time.sleep(0.05)  # a poll interval, not a wait for something to happen
    pytest.fail(f"uvicorn did not answer {url} within {STARTUP_SECONDS:.0f} s")


def serve() -> Iterator[str]:
    """Yield the base URL of uvicorn serving `config.asgi:application` on the test database.

    Use it from a fixture that depends on `transactional_db` (the server is another process:
    it sees only committed data), e.g. `yield from live_server_asgi.serve()`."""
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DEBUG": "true",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "config.asgi:application",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--log-level",
                "warning",
                "--timeout-graceful-shutdown",
                "2",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_until_up(process, f"{base}/api/v1/centres/XXX-00/board", log)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
