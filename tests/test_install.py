"""A plain install works from any directory: the wheel, a fresh venv, no checkout.

The wheel is built from this tree, installed into a new virtual environment
outside it, and its ``kzbudget`` runs build, query and serve from another
directory, with the store in its per-user default home.
"""

from __future__ import annotations

import filecmp
import os
import subprocess
import sys
import urllib.request
import venv
from pathlib import Path

import pytest

from conftest import CORPUS, ROOT
from servers import free_port, wait_http


def _run(*cmd, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, text=True, timeout=900, **kwargs)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, Path]:
    where = tmp_path_factory.mktemp("install")
    dist = where / "dist"
    built = _run(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", dist, ROOT)
    assert built.returncode == 0, built.stderr[-3000:]
    assert "deprecat" not in built.stderr.lower()  # the license is in its current form
    (wheel,) = dist.glob("kzbudget_graph-*.whl")
    venv.create(where / "venv", with_pip=True)
    python = where / "venv" / "bin" / "python"
    done = _run(python, "-m", "pip", "install", "-q", wheel)
    assert done.returncode == 0, done.stderr[-3000:]
    return where, wheel


def _env(where: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KZBUDGET_")}
    env["HOME"] = str(where / "home")
    env["XDG_DATA_HOME"] = str(where / "home" / ".local" / "share")
    env.pop("PYTHONPATH", None)
    return env


def test_wheel_ships_the_project_folders_unchanged(installed):
    import zipfile

    _, wheel = installed
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        for folder in ("ontology", "shapes", "queries", "data"):
            for source in (ROOT / folder).rglob("*"):
                if source.is_file():
                    inside = f"kzbudget_graph/_data/{source.relative_to(ROOT)}"
                    assert inside in names, inside
                    assert archive.read(inside) == source.read_bytes()
        assert any(n.endswith("/licenses/LICENSE") or n.endswith("/LICENSE") for n in names)


def test_build_query_serve_from_another_directory(installed, tmp_path):
    where, _ = installed
    kzbudget = where / "venv" / "bin" / "kzbudget"
    env = _env(where)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    home_store = where / "home" / ".local" / "share" / "kzbudget" / "store"

    build = _run(kzbudget, "build", CORPUS, "-o", "graph.trig", cwd=elsewhere, env=env)
    assert build.returncode == 0, build.stderr
    assert str(home_store) in build.stderr  # build says where the store is
    assert not (elsewhere / "kzbudget-store").exists()

    other = tmp_path / "other"
    other.mkdir()
    query = _run(kzbudget, "query", "program-costs", "-f", "csv", cwd=other, env=env)
    assert query.returncode == 0, query.stderr
    assert ",001," in query.stdout and "419926" in query.stdout
    assert f"store: {home_store}" in query.stderr

    version = _run(kzbudget, "--version", cwd=other, env=env)
    assert version.stdout.strip() == "kzbudget 0.1.0"

    port = free_port()
    server = subprocess.Popen(
        [kzbudget, "serve", "--port", str(port)],
        cwd=other,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_http(f"http://127.0.0.1:{port}/", 60)
        with urllib.request.urlopen(
            f"http://127.0.0.1:{port}/queries/program-costs?format=csv", timeout=60
        ) as r:
            assert "419926" in r.read().decode("utf-8")
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_checkout_and_wheel_copies_agree():
    """The checkout reads the project folders themselves (the source of truth)."""
    from kzbudget_graph.resources import project_dir

    for folder in ("ontology", "shapes", "queries", "data"):
        assert project_dir(folder) == ROOT / folder
        assert not filecmp.dircmp(project_dir(folder), ROOT / folder).diff_files
