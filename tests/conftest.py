"""Shared fixtures. Tests use the installed `digikort` package and real servers on 127.0.0.1."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
import requests

REPO = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() == "true"


def require(condition: bool, reason: str):
    """Skip when something a test needs is absent, but under CI a missing part is a failure."""
    if not condition:
        if IN_CI:
            pytest.fail(f"required under CI: {reason}")
        pytest.skip(reason)


def reference_dir(name: str) -> Path:
    """A folder of conformance data: tests/reference (shipped with the repository), or
    $DIGIKORT_REFERENCE when set."""
    root = Path(os.environ.get("DIGIKORT_REFERENCE", REPO / "tests" / "reference"))
    path = root / name
    require(path.is_dir(), f"reference suite {path} not found (set DIGIKORT_REFERENCE)")
    return path


def require_tool(cmd: str) -> str:
    path = shutil.which(cmd)
    require(path is not None, f"{cmd} is not installed (bash .ci/setup installs it)")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, timeout: float = 30.0, proc: subprocess.Popen | None = None):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode} before answering {url}")
        try:
            requests.get(url, timeout=1)
            return
        except requests.RequestException:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


def digikort_cmd() -> list[str]:
    exe = Path(sys.executable).parent / "digikort"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "digikort"]


def run_cli(*args: str, input: str | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(digikort_cmd() + list(args), capture_output=True, text=True,
                          input=input, timeout=timeout)


class LiveServer:
    """`digikort serve` (gunicorn) started for real on a free loopback port."""

    def __init__(self, *args: str, env: dict | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            digikort_cmd() + ["serve", "--host", "127.0.0.1", "--port", str(self.port), *args],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, **(env or {})})
        try:
            wait_for(self.url + "/health", proc=self.proc)
        except RuntimeError:
            self.stop()
            raise

    def tree(self) -> list[psutil.Process]:
        """The server and every process under it (gunicorn workers, query evaluators)."""
        try:
            root = psutil.Process(self.proc.pid)
            return [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []

    def stop(self):
        stop_tree(self.proc, self.tree())


def stop_tree(proc: subprocess.Popen, tree: list[psutil.Process], grace: float = 10):
    """Stop a process and all it started: SIGTERM, then SIGKILL what is left after `grace`."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(grace)
        except subprocess.TimeoutExpired:
            pass
    _, alive = psutil.wait_procs([p for p in tree if p.is_running()], timeout=1)
    for p in alive:
        try:
            p.kill()
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(alive, timeout=5)
    if proc.poll() is None:
        proc.kill()
        proc.wait(5)


@pytest.fixture(scope="session", autouse=True)
def no_process_outlives_the_suite():
    """Every process a test starts is stopped with its whole tree; one that is still running
    when the suite ends is killed and fails the run."""
    yield
    me = psutil.Process()
    left = [p for p in me.children(recursive=True) if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
    for p in left:
        try:
            p.kill()
        except psutil.NoSuchProcess:
            pass
    assert not left, "processes outlived the test suite: " + ", ".join(f"{p.pid} {p.name()}" for p in left)


@pytest.fixture(scope="session")
def shipped():
    """The shipped dataset as an rdflib Dataset."""
    from digikort.dataset import load_rdflib_dataset

    return load_rdflib_dataset()


@pytest.fixture(scope="session")
def store():
    """The embedded default store (Oxigraph in memory, shipped graph loaded). Read-only use."""
    from digikort.stores import open_store

    return open_store("memory")


@pytest.fixture(scope="session")
def app(store):
    from digikort.config import Settings
    from digikort.web.app import create_app

    app = create_app(Settings(), store=store)
    app.config["TESTING"] = True
    return app


@pytest.fixture()
def app_factory():
    """create_app for a test; the evaluator processes its store forks are stopped afterwards."""
    from digikort.web.app import create_app

    made = []

    def make(settings, **kwargs):
        made.append(create_app(settings, **kwargs))
        return made[-1]

    yield make
    for app in made:
        pool = getattr(app.extensions["digikort.store"], "pool", None)
        if pool is not None:
            pool.close()


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def live_server():
    server = LiveServer()
    yield server
    server.stop()
