#!/usr/bin/env python3
"""Fails when a source file crosses a layer the build declares (docs/architecture.md, "Layers").

Rules, checked on the include closure of every file (quoted includes are followed through the
tree, so a header that leaks a dependency is caught where it is used):
  1. a core area includes only its own headers and those of the areas it DEPENDS on in
     core/CMakeLists.txt (direct declarations, not whatever happens to be transitively linked);
  2. no Qt in core or the CLI;
  3. no ONNX or HDF5 in the widgets or the GUI shell;
  4. no widgets in core or the CLI;
  5. the plotting base (widgets/plot) sees only Qt and core's common and analysis areas: no
     sessions, bundles, jobs, and nothing of the workbench.

usage: check-layering.py [--root DIR] [--binary PATH ...] | --self-test
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)
AREA_DECL = re.compile(r"^imuwb_core_area\((\w+)([^)]*)\)", re.M)
QT = re.compile(r"^(Q[A-Z]\w*|Qt\w*/.*|q\w+\.h)$")
ONNX_HDF5 = re.compile(r"^(onnx/.*|H5Cpp\.h|hdf5\.h|H5\w*\.h|H5\w*\.hpp)$")
SOURCE_EXT = (".cpp", ".hpp", ".h", ".cc")


def declared_areas(root):
    text = open(os.path.join(root, "core", "CMakeLists.txt")).read()
    areas = {}
    for name, rest in AREA_DECL.findall(text):
        deps = re.search(r"DEPENDS\s+([\w\s]+?)(?:\bLIBS\b|$)", rest)
        areas[name] = set(deps.group(1).split()) if deps else set()
    return areas


class Tree:
    """Resolves quoted includes the way the build's include roots do."""

    def __init__(self, root):
        self.root = root
        self.roots = [os.path.join(root, d) for d in ("core", "widgets", "app/cli", "app/gui")]
        widgets = os.path.join(root, "widgets")
        if os.path.isdir(widgets):  # widgets/<part>/ folders are include roots of their own
            self.roots += [os.path.join(widgets, d) for d in sorted(os.listdir(widgets))
                           if os.path.isdir(os.path.join(widgets, d))]
        self.cache = {}

    def includes(self, path):
        if path not in self.cache:
            try:
                text = open(path, encoding="utf-8", errors="replace").read()
            except OSError:
                text = ""
            self.cache[path] = INCLUDE.findall(text)
        return self.cache[path]

    def resolve(self, including, name):
        for base in [os.path.dirname(including)] + self.roots:
            candidate = os.path.normpath(os.path.join(base, name))
            if os.path.isfile(candidate):
                return candidate
        return None

    def closure(self, path):
        """(repo files reached, system headers reached) from path, each with the chain to it."""
        files, system, todo = {path: [path]}, {}, [path]
        while todo:
            current = todo.pop()
            for kind, name in self.includes(current):
                target = self.resolve(current, name) if kind == '"' else None
                if target is None:
                    system.setdefault(name, files[current] + [name])
                elif target not in files:
                    files[target] = files[current] + [target]
                    todo.append(target)
        return files, system


def sources(root, folder):
    top = os.path.join(root, folder)
    for base, _, names in os.walk(top):
        for name in sorted(names):
            if name.endswith(SOURCE_EXT):
                yield os.path.join(base, name)


def chain_text(root, chain):
    return " -> ".join(os.path.relpath(p, root) if os.path.isabs(p) else p for p in chain)


def check(root):
    root = os.path.abspath(root)
    areas = declared_areas(root)
    tree = Tree(root)
    widgets = os.path.join(root, "widgets")
    problems = []
    for area, deps in sorted(areas.items()):
        allowed = deps | {area}
        for path in sources(root, os.path.join("core", area)):
            for kind, name in tree.includes(path):
                top = name.split("/")[0]
                if kind == '"' and "/" in name and top in areas and top not in allowed:
                    problems.append(f"{os.path.relpath(path, root)}: includes \"{name}\", but area "
                                    f"'{area}' does not declare '{top}' in core/CMakeLists.txt "
                                    f"(add it to DEPENDS, or move the shared piece below both)")
    shells = [("core", "core", [(QT, "Qt")], True), ("app/cli", "the CLI", [(QT, "Qt")], True),
              ("widgets", "widgets", [(ONNX_HDF5, "ONNX or HDF5")], False),
              ("app/gui", "the GUI shell", [(ONNX_HDF5, "ONNX or HDF5")], False)]
    for folder, label, banned, no_widgets in shells:
        for path in sources(root, folder):
            files, system = tree.closure(path)
            for pattern, what in banned:
                for name, chain in sorted(system.items()):
                    if pattern.match(name):
                        problems.append(f"{os.path.relpath(path, root)}: {label} must not see {what}: "
                                        f"{chain_text(root, chain)}")
            if no_widgets:
                for reached, chain in sorted(files.items()):
                    if reached.startswith(widgets + os.sep):
                        problems.append(f"{os.path.relpath(path, root)}: {label} must not include "
                                        f"widgets: {chain_text(root, chain)}")
    plot = os.path.join(root, "widgets", "plot")
    allowed_core = {os.path.join(root, "core", a) + os.sep for a in ("common", "analysis")}
    for path in sources(root, os.path.join("widgets", "plot")):
        files, _ = tree.closure(path)
        for reached, chain in sorted(files.items()):
            in_core = reached.startswith(os.path.join(root, "core") + os.sep)
            if (in_core and not any(reached.startswith(a) for a in allowed_core)) or (
                    reached.startswith(os.path.join(root, "widgets") + os.sep)
                    and not reached.startswith(plot + os.sep)):
                problems.append(f"{os.path.relpath(path, root)}: the plotting base must not see "
                                f"{os.path.relpath(reached, root)}: {chain_text(root, chain)}")
    return problems


def check_binary(path, banned=("libQt",)):
    """The CLI links no Qt at all, whatever the sources say."""
    out = subprocess.run(["readelf", "-d", path], capture_output=True, text=True, check=True).stdout
    return [f"{path}: links {line.split('[')[-1].rstrip(']')}" for line in out.splitlines()
            if "(NEEDED)" in line and any(b in line for b in banned)]


def write(root, rel, text):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def self_test():
    """The check must catch each kind of wrong include, and pass a clean tree."""
    cases = {
        "undeclared area": ("core/a/A.cpp", '#include "b/B.hpp"\n', "does not declare 'b'"),
        "Qt in core": ("core/b/B.cpp", "#include <QString>\n", "must not see Qt"),
        "Qt in CLI": ("app/cli/Cli.cpp", "#include <QtCore/QString>\n", "must not see Qt"),
        "ONNX via header": ("widgets/W.cpp", '#include "b/Leaky.hpp"\n', "must not see ONNX"),
        "widgets in CLI": ("app/cli/Cli2.cpp", '#include "W.hpp"\n', "must not include widgets"),
        "session in plot base": ("widgets/plot/P.cpp", '#include "b/B.hpp"\n',
                                 "plotting base must not see"),
    }
    base_files = {
        "core/CMakeLists.txt": "imuwb_core_area(a LIBS x)\nimuwb_core_area(b DEPENDS a LIBS y)\n",
        "core/a/A.hpp": "#pragma once\n", "core/b/B.hpp": '#include "a/A.hpp"\n',
        "core/b/Leaky.hpp": "#include <onnx/onnx_pb.h>\n", "widgets/W.hpp": "#include <QWidget>\n",
        "app/cli/Ok.cpp": '#include "b/B.hpp"\n#include <vector>\n',
    }
    failures = []
    with tempfile.TemporaryDirectory() as clean:
        for rel, text in base_files.items():
            write(clean, rel, text)
        if check(clean):
            failures.append(f"clean tree flagged: {check(clean)}")
    for label, (rel, text, expected) in cases.items():
        with tempfile.TemporaryDirectory() as root:
            for r, t in base_files.items():
                write(root, r, t)
            write(root, rel, text)
            problems = check(root)
            if not any(expected in p for p in problems):
                failures.append(f"{label}: expected a problem containing '{expected}', got {problems}")
    for f in failures:
        print("SELF-TEST FAILED:", f)
    print(f"layering self-test: {len(cases) - len(failures)}/{len(cases)} wrong includes caught")
    return not failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=os.path.join(os.path.dirname(__file__), ".."))
    parser.add_argument("--binary", action="append", default=[], help="a CLI binary that must not link Qt")
    parser.add_argument("--self-test", action="store_true")
    args = parser.parse_args()
    if args.self_test:
        return 0 if self_test() else 1
    problems = check(args.root)
    for binary in args.binary:
        problems += check_binary(binary)
    for p in problems:
        print("layering:", p)
    print(f"layering: {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
