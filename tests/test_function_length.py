"""Short bodies with named steps: no function in src/ runs over 80 lines of code.

A function's length is the number of lines of its body that hold code: blank lines, lines
that hold only a comment, and docstrings (the function's own and those of functions or
classes defined inside it) do not count; a statement spread over several lines counts each
of them. Longer functions are split into steps with names. Two lists allow exceptions:

- ``BEING_REWRITTEN``: functions still over the limit that are being split under issue #17;
  an entry is removed when its function is split (the test fails on an entry that is short
  enough, or that no longer exists).
- ``KERNELS``: vectorised kernels, where splitting would cost speed or clarity; each one
  carries a comment with the words "vectorised kernel" saying why.
"""

from __future__ import annotations

import ast
import io
import tokenize
from pathlib import Path

import bilateral_trade

PACKAGE = Path(bilateral_trade.__file__).parent
LIMIT = 80

#: Functions over the limit that are being split elsewhere (issue #17).
BEING_REWRITTEN: dict[str, str] = {}

#: Vectorised kernels allowed over the limit; each must say why in a comment.
KERNELS: dict[str, str] = {}

_NOT_CODE = {
    tokenize.COMMENT,
    tokenize.NL,
    tokenize.NEWLINE,
    tokenize.INDENT,
    tokenize.DEDENT,
    tokenize.ENDMARKER,
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _code_lines(text: str) -> set[int]:
    """The lines of a module that hold at least one token of code."""
    lines: set[int] = set()
    for tok in tokenize.generate_tokens(io.StringIO(text).readline):
        if tok.type not in _NOT_CODE:
            lines.update(range(tok.start[0], tok.end[0] + 1))
    return lines


def _docstring_lines(node: ast.AST) -> set[int]:
    """The lines of the docstrings of ``node`` and of every function or class inside it."""
    lines: set[int] = set()
    for inner in ast.walk(node):
        if isinstance(inner, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Module):
            body = inner.body
            if (
                body
                and isinstance(body[0], ast.Expr)
                and isinstance(body[0].value, ast.Constant)
                and isinstance(body[0].value.value, str)
            ):
                end = body[0].end_lineno or body[0].lineno
                lines.update(range(body[0].lineno, end + 1))
    return lines


def _functions(tree: ast.Module) -> list[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]]:
    """Every function of a module with its qualified name (``Class.method``, ``f.inner``)."""
    found: list[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]] = []

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                found.append((prefix + child.name, child))
                visit(child, f"{prefix}{child.name}.")
            elif isinstance(child, ast.ClassDef):
                visit(child, f"{prefix}{child.name}.")
            else:
                visit(child, prefix)

    visit(tree, "")
    return found


def _length(fn: ast.FunctionDef | ast.AsyncFunctionDef, code: set[int]) -> int:
    """The lines of code of a function's body (``code``: the module's lines of code)."""
    first, last = fn.body[0].lineno, fn.end_lineno or fn.lineno
    return len((set(range(first, last + 1)) & code) - _docstring_lines(fn))


def _lengths() -> dict[str, tuple[int, str]]:
    """Code lines of every function in src/, by ``module:qualname``, with its source."""
    out: dict[str, tuple[int, str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        code = _code_lines(text)
        source = text.splitlines()
        for qualname, fn in _functions(ast.parse(text)):
            last = fn.end_lineno or fn.lineno
            out[f"{_module_name(path)}:{qualname}"] = (
                _length(fn, code),
                "\n".join(source[fn.lineno - 1 : last]),
            )
    return out


LENGTHS = _lengths()


def test_the_counting() -> None:
    text = '''
def f(x):
    """A docstring.

    Over several lines.
    """
    # a comment

    y = (x +
         1)  # a call over two lines counts twice
    def g():
        """Inner docstring."""
        return y
    return g
'''
    (name, fn), (inner, _) = _functions(ast.parse(text))
    assert (name, inner) == ("f", "f.g")
    assert _length(fn, _code_lines(text)) == 5  # y = (x +, 1), def g, return y, return g


def test_every_function_is_short() -> None:
    long = {
        name: n
        for name, (n, _) in LENGTHS.items()
        if n > LIMIT and name not in BEING_REWRITTEN and name not in KERNELS
    }
    assert not long, (
        f"functions over {LIMIT} lines of code (docstring and comments excluded); split them "
        "into named steps: " + ", ".join(f"{name} ({n})" for name, n in sorted(long.items()))
    )


def test_allowed_functions_are_still_long() -> None:
    for name in sorted(BEING_REWRITTEN):
        assert name in LENGTHS, f"{name} is allow-listed but no such function exists"
        n, _ = LENGTHS[name]
        assert n > LIMIT, f"{name} has {n} lines of code now: remove it from BEING_REWRITTEN"
    assert len(LENGTHS) > 500  # the walk found the package's functions


def test_kernels_say_why() -> None:
    for name in KERNELS:
        assert name in LENGTHS, f"{name} is allow-listed but no such function exists"
        _, source = LENGTHS[name]
        assert "vectorised kernel" in source.lower(), (
            f"{name} is allowed as a vectorised kernel: say why in a comment in it"
        )


def test_allow_lists_give_reasons() -> None:
    for name, reason in {**BEING_REWRITTEN, **KERNELS}.items():
        assert reason.strip(), f"{name}: give the reason it is allowed"
