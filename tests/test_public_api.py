"""The public API a programmer imports: what README and docs/ say is importable from
``summarize`` is in ``summarize.__all__``, and every error the package raises on purpose
can be caught by its public name."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import summarize
from summarize import errors

ROOT = Path(__file__).resolve().parent.parent


def test_every_error_class_is_public():
    # a caller catches what the API raises (docs/faults.md: run_batch raises
    # EndpointUnreachableError when no request reached the endpoint) by its public name
    raised = {name for name, value in vars(errors).items()
              if inspect.isclass(value) and issubclass(value, errors.SummarizeError)}
    assert raised - set(summarize.__all__) == set()
    for name in raised:
        assert getattr(summarize, name) is getattr(errors, name)


def test_every_name_in_all_resolves():
    for name in summarize.__all__:
        assert getattr(summarize, name) is not None, name


def test_the_names_the_docs_import_from_summarize_are_public():
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    imported: set[str] = set()
    for page in pages:
        for names in re.findall(r"^\s*from summarize import ([\w, ]+)$", page.read_text("utf-8"), re.M):
            imported.update(n.strip() for n in names.split(",") if n.strip())
    assert imported, "the docs show no import from summarize"
    assert imported - set(summarize.__all__) == set()


def test_no_error_class_is_defined_outside_errors():
    # the check above reads summarize/errors.py only: a SummarizeError subclass defined in
    # another module would escape it, so every module is imported and every subclass found
    import importlib
    import pkgutil

    for module in pkgutil.walk_packages(summarize.__path__, "summarize."):
        importlib.import_module(module.name)

    def subclasses(cls: type) -> list[type]:
        return [sub for direct in cls.__subclasses__() for sub in (direct, *subclasses(direct))]

    found = subclasses(errors.SummarizeError)
    assert found, "no subclass of SummarizeError found"
    assert [f"{c.__module__}.{c.__name__}" for c in found if c.__module__ != errors.__name__] == []


def test_every_import_the_docs_show_works():
    # the check above reads "from summarize import" only; a page's "from summarize.inputs
    # import load_articles" goes stale when a module moves (summarize.articles -> inputs)
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    statements = [match.split("#")[0].strip() for page in pages for match in re.findall(
        r"^\s*(from summarize[\w.]* import (?:\([^)]*\)|[^\n]+))", page.read_text("utf-8"), re.M)]
    assert len(statements) > 5, statements
    failing = []
    for statement in statements:
        try:
            exec(statement, {})
        except ImportError as exc:
            failing.append(f"{statement}: {exc}")
    assert failing == []
