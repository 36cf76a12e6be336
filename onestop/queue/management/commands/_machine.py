"""What the machine itself manages, measured in the same run as a benchmark, so the
benchmark's figures can be read against it: the rate of HTTP requests that do almost
nothing (one `SELECT 1`), and PostgreSQL's own single-row insert rate (pgbench)."""

from __future__ import annotations

import glob
import http.client
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time

from django.db import connection


def http_floor(port: int, *, clients: int, seconds: float) -> tuple[float, float]:
    """Requests per second and p99 (ms) of `GET /api/v1/health` from `clients` threads."""
    latencies: list[float] = []
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def drive() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            conn.request("GET", "/api/v1/health")
            conn.getresponse().read()
            mine.append(time.perf_counter() - started)
        conn.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=drive) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies.sort()
    p99 = 1000 * latencies[int(0.99 * len(latencies))] if latencies else 0.0
    return len(latencies) / seconds, p99


def _pgbench() -> str | None:
    found = shutil.which("pgbench")
    if found:
        return found
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pgbench"))
    return candidates[-1] if candidates else None


def pgbench_inserts(seconds: int = 5) -> str:
    """pgbench's single-row INSERT rate with 8 clients on the benchmark's own database."""
    if connection.vendor != "postgresql":
        return "pgbench: not applicable (SQLite)"
    program = _pgbench()
    if program is None:
        return "pgbench: not installed"
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_insert "
            "(id bigserial PRIMARY KEY, created_at timestamptz, payload text)"
        )
    params = connection.get_connection_params()
    env = {**os.environ, "PGPASSWORD": str(params.get("password") or "")}
    with tempfile.NamedTemporaryFile("w", suffix=".sql") as script:
        script.write("INSERT INTO bench_insert (created_at, payload) VALUES (now(), 'x');\n")
        script.flush()
        command = [program, "-n", "-c", "8", "-j", "2", "-T", str(seconds), "-f", script.name]
        for flag, key in (("-h", "host"), ("-p", "port"), ("-U", "user")):
            if params.get(key):
                command += [flag, str(params[key])]
        command.append(str(params.get("dbname") or connection.settings_dict["NAME"]))
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_insert")
    tps = re.search(r"tps = ([\d.]+)", done.stdout)
    latency = re.search(r"latency average = ([\d.]+) ms", done.stdout)
    if done.returncode or not tps:
        return f"pgbench failed: {(done.stderr or done.stdout).strip()[:300]}"
    average = f", {latency.group(1)} ms average" if latency else ""
    return f"pgbench single-row INSERT, 8 clients: {float(tps.group(1)):,.0f} tps{average}"
