"""SQL in the PostgreSQL adapter is never built by formatting or concatenating values.

Statements are module-level literals with named parameters, or `psycopg.sql` compositions
of literals (`sql.SQL("...").format(sql.Identifier(...), ...)`), which quote what they
insert. This test reads the adapter's source and fails on any string that looks like SQL and
is an f-string, a `%` or `+` operand, or the receiver of `str.format`; and on `sql.SQL(...)`
of anything but a literal (it trusts its argument, so a value there would be injected).
ruff's S608 checks the same idea across the whole tree.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ADAPTER = Path(__file__).resolve().parents[3] / "library" / "adapters" / "postgres"
# Keywords as the adapter writes SQL: upper case (messages, in lower case, do not match).
_SQL = re.compile(
    r"\b(SELECT|INSERT|UPDATE|DELETE|CREATE|ALTER|DROP|TRUNCATE|WITH|FROM|WHERE|VALUES|COPY"
    r"|AND|OR)\b"
)


def _looks_like_sql(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(_SQL.search(node.value))
    if isinstance(node, ast.JoinedStr):
        return any(_looks_like_sql(value) for value in node.values)
    return False


def _is_literal(node: ast.AST, names: set[str]) -> bool:
    """A string literal, a module-level name bound to one, or a choice between such."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.Name):
        return node.id in names
    if isinstance(node, ast.IfExp):
        return _is_literal(node.body, names) and _is_literal(node.orelse, names)
    return False


def _literal_names(tree: ast.Module) -> set[str]:
    """Module-level names bound to a plain string literal (safe to hand to `sql.SQL`)."""
    names = set()
    for statement in tree.body:
        if (
            isinstance(statement, ast.Assign)
            and isinstance(statement.value, ast.Constant)
            and isinstance(statement.value.value, str)
        ):
            names |= {t.id for t in statement.targets if isinstance(t, ast.Name)}
    return names


def violations(source: str, filename: str = "<source>") -> list[str]:
    """Where `source` builds SQL from values: `file:line: what`."""
    tree = ast.parse(source, filename)
    literals = _literal_names(tree)
    found = []
    for node in ast.walk(tree):
        where = f"{filename}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.JoinedStr) and _looks_like_sql(node):
            found.append(f"{where}: SQL in an f-string")
        elif (
            isinstance(node, ast.BinOp)
            and isinstance(node.op, ast.Mod | ast.Add)
            and (_looks_like_sql(node.left) or _looks_like_sql(node.right))
        ):
            found.append(f"{where}: SQL built with {type(node.op).__name__}")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            receiver = node.func.value
            if node.func.attr == "format" and _looks_like_sql(receiver):
                found.append(f"{where}: SQL built with str.format")
            if node.func.attr == "join" and _looks_like_sql(receiver):
                found.append(f"{where}: SQL built with str.join")
            is_sql_literal = (
                node.func.attr == "SQL" and isinstance(receiver, ast.Name) and receiver.id == "sql"
            )
            if is_sql_literal and not _is_literal(node.args[0], literals):
                found.append(f"{where}: sql.SQL() of something other than a literal")
    return found


def test_the_postgres_adapter_builds_no_sql_from_values() -> None:
    sources = sorted(ADAPTER.glob("*.py"))
    assert len(sources) > 5
    problems = [
        problem
        for path in sources
        for problem in violations(path.read_text(), str(path.relative_to(ADAPTER.parents[2])))
    ]
    assert problems == []


@pytest.mark.parametrize(
    "source",
    [
        'q = f"SELECT * FROM books WHERE id = {book_id}"',
        'q = "SELECT * FROM books WHERE id = %s" % book_id',
        'q = "SELECT * FROM books WHERE title = \'" + title + "\'"',
        'q = "DELETE FROM books WHERE id = {}".format(book_id)',
        'q = " OR ".join(["SELECT 1", clause])',
        "q = sql.SQL(clause)",
        'q = sql.SQL("{} < {}" if descending else clause)',
        'q = sql.SQL("SELECT " + column)',
    ],
)
def test_it_catches_each_way_of_building_sql_from_values(source: str) -> None:
    assert violations(source) != []


@pytest.mark.parametrize(
    "source",
    [
        'q = "SELECT * FROM books WHERE id = %(id)s"',
        'q = sql.SQL("SELECT {} FROM books").format(sql.Identifier(column))',
        'A = "title = %(title)s"\nq = sql.SQL(A)',
        'message = f"cannot reach PostgreSQL: {error}"',
        "q = sql.SQL(' AND ').join(parts)",
        'q = sql.SQL("{} < {}" if descending else "{} > {}").format(key, bound)',
    ],
)
def test_it_lets_parameters_and_compositions_through(source: str) -> None:
    assert violations(source) == []
