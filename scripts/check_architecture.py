#!/usr/bin/env python3
"""Checks the architecture docs/architecture.md describes (run by scripts/test.sh).

1. The target graph: the `target-graph` block of docs/architecture.md lists every target of Package.swift but the
   tests with exactly its package-internal dependencies (read with `swift package dump-package`), and the
   `target-layers` block puts each target in a row above every one it depends on.
2. No folder-level cycle inside any target: within Sources/<target>/, folder A depends on folder B when a file in A
   names a type declared at the top level of a file in B (files directly in the target form the folder "."). The
   dependencies between folders must form no cycle, so each folder of a target is a room whose arrows point one way.

3. Every `Sources/…swift:N` the document cites (the traced requests) names an existing file with a line N.
4. No line of a tracked text file is a merge-conflict marker (`<<<<<<< `, `=======`, `>>>>>>> `): Swift would
   refuse one in a source, but nothing else would notice one in the docs or the scripts.

Exit status 0 when all hold; otherwise every difference or cycle is printed and the status is 1.
Usage: scripts/check_architecture.py [--graph]   (--graph prints each target's folder dependencies)
"""
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOC = os.path.join(ROOT, "docs", "architecture.md")

DECLARATION = re.compile(
    r"^(?:@\w+(?:\([^)]*\))?\s+)*(?:(?:public|internal|package|final|indirect|open|nonisolated)\s+)*"
    r"(?:struct|class|enum|protocol|actor|typealias)\s+([A-Z]\w*)",
    re.M,
)
TYPE_NAME = re.compile(r"\b([A-Z]\w*)\b")


def without_comments_and_strings(source):
    source = re.sub(r"//[^\n]*", "", source)
    source = re.sub(r"/\*.*?\*/", "", source, flags=re.S)
    source = re.sub(r'"""(.*?)"""', '""', source, flags=re.S)
    return re.sub(r'"(?:\\.|[^"\\\n])*"', '""', source)


def package_graph():
    """Target name → set of package-internal dependencies, for every target but the tests."""
    dump = json.loads(subprocess.run(["swift", "package", "dump-package"], cwd=ROOT, check=True, capture_output=True, text=True).stdout)
    names = {target["name"] for target in dump["targets"]}
    graph = {}
    for target in dump["targets"]:
        # A regular target under Tests/ only supports the tests.
        if target["type"] not in ("regular", "executable", "system") or (target.get("path") or "").startswith("Tests/"):
            continue
        dependencies = set()
        for dependency in target.get("dependencies", []):
            kind, value = next(iter(dependency.items()))
            if kind in ("byName", "target") and value[0] in names:
                dependencies.add(value[0])
        graph[target["name"]] = dependencies
    return graph


def block(marker):
    """The lines of the ```-fenced block after `<!-- marker -->` in docs/architecture.md."""
    found = re.search(r"<!-- " + marker + r" -->\s*```[^\n]*\n(.*?)```", open(DOC, encoding="utf-8").read(), re.S)
    if not found:
        raise SystemExit(f"{DOC}: no ```-fenced block after <!-- {marker} -->")
    return [line for line in found.group(1).splitlines() if line.strip()]


def documented_layers():
    """The `target-layers` block: rows `N  Target  Target …  description`; target → its row."""
    layers = {}
    for line in block("target-layers"):
        row, _, rest = line.strip().partition(" ")
        for word in rest.split():
            if not re.fullmatch(r"[A-Za-z]\w*", word) or word[0].islower() and word != "ctl":
                break
            layers[word] = int(row)
    return layers


def known_cycles():
    """The `known-folder-cycles` block: lines `Target: folder, folder`."""
    known = set()
    for line in block("known-folder-cycles"):
        target, _, folders = line.partition(":")
        known.add((target.strip(), tuple(sorted(part.strip() for part in folders.split(",")))))
    return known


def documented_graph():
    """The `target-graph` block: lines `Target → A, B` (or `Target → —` for none)."""
    graph = {}
    for line in block("target-graph"):
        name, _, rest = line.partition("→")
        rest = rest.strip()
        graph[name.strip()] = set() if rest in ("", "—") else {part.strip() for part in rest.split(",")}
    return graph


def folder_graph(target_directory):
    """Folder → {folder it depends on → the type names behind the arrow} inside one target."""
    files = {}
    for directory, _, names in os.walk(target_directory):
        for name in names:
            if name.endswith(".swift"):
                path = os.path.join(directory, name)
                relative = os.path.relpath(path, target_directory)
                folder = relative.split(os.sep)[0] if os.sep in relative else "."
                files[relative] = (folder, without_comments_and_strings(open(path, encoding="utf-8").read()))
    owners = {}
    for folder, source in files.values():
        for match in DECLARATION.finditer(source):
            owners.setdefault(match.group(1), set()).add(folder)
    graph = {folder: {} for folder, _ in files.values()}
    for folder, source in files.values():
        for name in set(TYPE_NAME.findall(source)):
            for owner in owners.get(name, ()):
                if owner != folder and folder not in owners[name]:
                    graph[folder].setdefault(owner, set()).add(name)
    return graph


def cycles(graph):
    """Strongly connected components with more than one folder (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for successor in graph.get(node, {}):
            if successor not in index:
                visit(successor)
                low[node] = min(low[node], low[successor])
            elif successor in on_stack:
                low[node] = min(low[node], index[successor])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


CONFLICT_MARKER = re.compile(r"^(?:<<<<<<< |=======$|>>>>>>> )", re.M)


def conflict_markers():
    """One problem per tracked text file (git ls-files) holding a line a merge left behind."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    problems = []
    for path in listed.decode().split("\0"):
        full = os.path.join(ROOT, path)
        if not path or not os.path.isfile(full):
            continue
        with open(full, "rb") as file:
            data = file.read()
        if b"\0" in data:
            continue
        text = data.decode("utf-8", errors="replace")
        for match in CONFLICT_MARKER.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            problems.append(f"{path}:{line}: a merge-conflict marker left behind")
    return problems


def main():
    problems = []
    actual, documented = package_graph(), documented_graph()
    for name in sorted(set(actual) | set(documented)):
        if name not in documented:
            problems.append(f"target {name} (Package.swift) is missing from the graph in docs/architecture.md")
        elif name not in actual:
            problems.append(f"target {name} is in docs/architecture.md's graph but not in Package.swift")
        elif actual[name] != documented[name]:
            extra, missing = sorted(documented[name] - actual[name]), sorted(actual[name] - documented[name])
            problems.append(f"{name}: docs/architecture.md says also {extra or '—'}, lacks {missing or '—'} (Package.swift)")
    layers = documented_layers()
    for name in sorted(actual):
        if name not in layers:
            problems.append(f"target {name} is in no row of docs/architecture.md's target-layers picture")
            continue
        for dependency in sorted(actual[name]):
            if dependency in layers and layers[dependency] >= layers[name]:
                problems.append(f"{name} (row {layers[name]}) depends on {dependency} (row {layers[dependency]}), not on a lower row")
    known, seen = known_cycles(), set()
    sources = os.path.join(ROOT, "Sources")
    for target in sorted(os.listdir(sources)):
        directory = os.path.join(sources, target)
        if not os.path.isdir(directory):
            continue
        graph = folder_graph(directory)
        if "--graph" in sys.argv:
            for folder in sorted(graph):
                for dependency in sorted(graph[folder]):
                    print(f"{target}: {folder} → {dependency} ({', '.join(sorted(graph[folder][dependency]))})")
        for component in cycles(graph):
            seen.add((target, tuple(component)))
            if (target, tuple(component)) in known:
                continue
            arrows = "; ".join(
                f"{a} → {b} ({', '.join(sorted(graph[a][b]))})" for a in component for b in component if b in graph[a])
            problems.append(f"{target}: folders {', '.join(component)} depend on each other: {arrows}")
    for path, line in re.findall(r"(Sources/[\w/+.-]+\.swift):(\d+)", open(DOC, encoding="utf-8").read()):
        full = os.path.join(ROOT, path)
        if not os.path.isfile(full) or int(line) > len(open(full, encoding="utf-8").read().splitlines()):
            problems.append(f"docs/architecture.md cites {path}:{line}, which does not exist")
    problems += conflict_markers()
    for target, folders in sorted(known - seen):
        problems.append(f"{target}: folders {', '.join(folders)} no longer form a cycle; remove the line from known-folder-cycles")
    for problem in problems:
        print(problem, file=sys.stderr)
    if not problems:
        print(f"architecture: {len(actual)} targets as documented, no folder cycle inside any target but the {len(known)} known ones")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
