"""The domain stays plain Python: no web framework, ORM or form library inside."""

import ast
from pathlib import Path

import quiz.domain

FORBIDDEN = (
    "flask",
    "flask_sqlalchemy",
    "flask_login",
    "flask_wtf",
    "sqlalchemy",
    "wtforms",
    "werkzeug",
)
DOMAIN_DIR = Path(quiz.domain.__file__).parent


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_domain_modules_import_no_framework() -> None:
    offenders = {
        f"{path.name}: {name}"
        for path in DOMAIN_DIR.rglob("*.py")
        for name in imported_modules(path)
        if name.split(".")[0] in FORBIDDEN or name in ("quiz.models", "quiz.extensions")
    }
    assert not offenders
