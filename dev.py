#!/usr/bin/env python3
"""Set-up and run in one command, on a fresh machine with only python3 and pip.

    python3 dev.py serve   # venv, dependencies, migrations, demo data; serves http://127.0.0.1:5000
    python3 dev.py test    # venv, dependencies; runs the whole test suite (pytest arguments may follow)
    python3 dev.py lint    # venv, dependencies; ruff over the whole tree (the rules are in pyproject.toml)
"""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PY = VENV / "bin" / "python"


def ensure_venv() -> None:
    if not PY.exists():
        print("Создаю виртуальное окружение .venv …", flush=True)
        subprocess.check_call([sys.executable, "-m", "venv", str(VENV)])
    stamp = VENV / ".installed"
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return
    print("Устанавливаю зависимости из pyproject.toml …", flush=True)
    subprocess.check_call([str(PY), "-m", "pip", "install", "-q", "--upgrade", "pip"])
    subprocess.check_call([str(PY), "-m", "pip", "install", "-q", "-e", f"{ROOT}[test]"])
    stamp.write_text(digest)


def flask(*args: str, env: dict | None = None) -> None:
    subprocess.check_call([str(PY), "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, env=env)


def serve(argv: list[str]) -> int:
    ensure_venv()
    env = dict(os.environ)
    flask("db", "upgrade", env=env)
    flask("demo", env=env)
    port = env.get("PORT", "5000")
    print(f"\nПортал запущен: http://127.0.0.1:{port}/  (остановка — Ctrl+C)\n", flush=True)
    return subprocess.call([str(PY), "-m", "flask", "--app", "wsgi", "run", "--host", "127.0.0.1", "--port", port,
                            *argv], cwd=ROOT, env=env)


def test(argv: list[str]) -> int:
    ensure_venv()
    code = subprocess.call([str(PY), "-m", "pytest", *argv], cwd=ROOT)
    return 0 if code == 5 and os.environ.get("CI") is None else code


def lint(argv: list[str]) -> int:
    ensure_venv()
    return subprocess.call([str(VENV / "bin" / "ruff"), "check", *(argv or ["."])], cwd=ROOT)


def main() -> int:
    commands = {"serve": serve, "test": test, "lint": lint}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        print(__doc__)
        return 2
    return commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
