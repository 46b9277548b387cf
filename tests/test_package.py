"""policykb installs on its own: a wheel built from this checkout, installed into a fresh virtual
environment outside it, compiles, checks and builds the site of a synthetic repository (its
vocabulary, queries and site template are package data, not files of the checkout)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import venv
from pathlib import Path

from conftest import REPO, copy_of


def run(*command: str | Path, cwd: Path) -> str:
    result = subprocess.run([str(part) for part in command], cwd=cwd, capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    return result.stdout


def test_the_wheel_installs_and_builds_a_repository_on_its_own(base: Path, tmp_path: Path) -> None:
    source = tmp_path / "source"  # built from a copy: building writes into the tree it builds
    shutil.copytree(
        REPO, source, ignore=shutil.ignore_patterns(".git", ".venv", "build", "*.egg-info", "__pycache__", ".*_cache")
    )
    wheels = tmp_path / "wheels"
    run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", wheels, source, cwd=tmp_path)
    [wheel] = wheels.glob("policykb-*.whl")
    environment = tmp_path / "venv"
    venv.create(environment, with_pip=True)
    python = environment / "bin" / "python"
    run(
        python,
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "--constraint",
        REPO / "constraints.txt",
        wheel,
        cwd=tmp_path,
    )
    installed = Path(run(python, "-c", "import policykb; print(policykb.__file__)", cwd=tmp_path).strip())
    assert installed.is_relative_to(environment), installed  # the wheel's copy, not this checkout
    root = copy_of(base, tmp_path)
    policykb = environment / "bin" / "policykb"
    assert "compiled" in run(policykb, "compile", "--root", root, cwd=tmp_path)
    assert "check: passed" in run(policykb, "check", "--root", root, cwd=tmp_path)
    run(policykb, "site", "--root", root, "--out", tmp_path / "site", cwd=tmp_path)
    assert (tmp_path / "site" / "assets" / "vendor" / "mermaid.min.js").is_file()
    assert "Regeerakkoord herleidbaar" in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    # the theme overrides travel too: the Dutch 404 page and footer, the named search dialog
    assert "Pagina niet gevonden" in (tmp_path / "site" / "404.html").read_text(encoding="utf-8")
    assert "Gemaakt met" in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
