"""The dependency rule (CONTRIBUTING.md): ``core`` ← ``kompetanse`` ← the satellites.

Every module of our apps is read with ``ast`` (nothing is imported), and three things fail:

- an upward import: ``core`` importing ``kompetanse`` or a satellite, ``kompetanse`` importing a
  satellite, anything importing ``demo``, at the top of a module or inside a function;
- a function-local import of one of our apps outside an ``AppConfig.ready()`` and migrations: an
  import hidden in a function is how a cycle hides, so cycles have to be broken, not deferred;
- apps that import each other in a circle (satellites may share public parts, one way only).

Third-party modules imported inside a function (an optional client, a heavy library used by one
command) are not the rule's business and are left alone.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The demo portal (load_demo) sits above them all: nothing of ours imports it.
LAYERS = {
    "core": 0,
    "kompetanse": 1,
    "editorial": 2,
    "lifecycle": 2,
    "reuse": 2,
    "search": 2,
    "newsletter": 2,
    "demo": 3,
}

# Function-local imports of our own apps that Django leaves no way around, each with its reason:
# (path, function name) → why. Keep it short; ready() and migrations need no entry.
ALLOWED_LOCAL_IMPORTS = {
    ("lifecycle/workflow.py", "publish_approved_workflow_state"): (
        "WAGTAIL_FINISH_WORKFLOW_ACTION: Wagtail imports this module while its own models are "
        "being defined, before any of ours can be"
    ),
}


def _modules():
    for app in LAYERS:
        for path in sorted((ROOT / app).rglob("*.py")):
            yield app, path


def _imported_names(node, path):
    """The absolute module names an import statement reads."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level:
        package = list(path.relative_to(ROOT).with_suffix("").parts)
        package = (
            package[: len(package) - node.level]
            if path.name != "__init__.py"
            else package[: len(package) - node.level + 1]
        )
        return [".".join(package + ([node.module] if node.module else []))]
    return [node.module]


def _imports(path):
    """(import node, enclosing function name or None) for every import in the module."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []

    def visit(node, function):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                visit(child, child.name if function is None else function)
            elif isinstance(child, (ast.Import, ast.ImportFrom)):
                found.append((child, function))
            else:
                visit(child, function)

    visit(tree, None)
    return found


def _our_app(module):
    top = (module or "").split(".")[0]
    return top if top in LAYERS else None


def _where(path, node):
    return f"{path.relative_to(ROOT)}:{node.lineno}"


def test_no_app_imports_an_app_above_it():
    problems = []
    for app, path in _modules():
        for node, _function in _imports(path):
            for module in _imported_names(node, path):
                target = _our_app(module)
                if target and LAYERS[target] > LAYERS[app]:
                    problems.append(f"{_where(path, node)}: {app} imports {module} ({target} is above {app})")
    assert not problems, "Upward imports:\n" + "\n".join(problems)


def test_apps_import_each_other_at_module_level_only():
    problems = []
    allowed_and_seen = set()
    for _app, path in _modules():
        if "migrations" in path.parts:
            continue
        for node, function in _imports(path):
            if function is None or function == "ready":
                continue
            if (str(path.relative_to(ROOT)), function) in ALLOWED_LOCAL_IMPORTS:
                allowed_and_seen.add((str(path.relative_to(ROOT)), function))
                continue
            for module in _imported_names(node, path):
                if _our_app(module):
                    problems.append(f"{_where(path, node)}: {module} imported inside {function}()")
    assert not problems, "Function-local imports of our apps:\n" + "\n".join(problems)
    stale = set(ALLOWED_LOCAL_IMPORTS) - allowed_and_seen
    assert not stale, f"Allowed local imports that are gone (take them off the list): {sorted(stale)}"


def test_apps_import_each_other_without_cycles():
    """Satellites may use each other's public parts, but never both ways (nor round a circle)."""
    edges = {app: set() for app in LAYERS}
    for app, path in _modules():
        for node, _function in _imports(path):
            for module in _imported_names(node, path):
                target = _our_app(module)
                if target and target != app:
                    edges[app].add(target)

    def cycle_from(start, app, seen):
        for target in sorted(edges[app]):
            if target == start:
                return seen + [target]
            if target not in seen:
                found = cycle_from(start, target, seen + [target])
                if found:
                    return found
        return None

    cycles = {" → ".join(found) for app in LAYERS if (found := cycle_from(app, app, [app]))}
    assert not cycles, "Apps that import each other in a circle:\n" + "\n".join(sorted(cycles))


def test_the_rule_reads_every_app():
    """A renamed or moved app would otherwise pass the rule by having no files."""
    for app in LAYERS:
        assert any((ROOT / app).rglob("*.py")), app
