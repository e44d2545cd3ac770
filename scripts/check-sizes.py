#!/usr/bin/env python3
"""Fails when a source file or a function outgrows what one reader holds in mind.

Files: at most --max-file-lines lines (default 500: "a few hundred lines").
Functions: at most --max-function-lines lines from the opening to the closing brace (default
120: "fits on a screen"). Function bodies are found by brace matching outside strings and
comments: a brace at namespace or class level whose preceding text ends like a signature.

usage: check-sizes.py [--root DIR] [folders...]   (default folders: core widgets app)
       check-sizes.py --self-test                   (proves the check on a scratch tree)
"""
import argparse
import os
import re
import sys
import tempfile

SIGNATURE_END = re.compile(r"\)\s*(const|override|final|noexcept|mutable|->\s*[\w:<>,\s\*&]+|\s)*$")
CONTROL = re.compile(r"\b(if|for|while|switch|catch|return)\s*\(")
TOKENS = re.compile(r'"(?:\\.|[^"\\])*"|\'(?:\\.|[^\'\\])*\'|//[^\n]*|/\*.*?\*/|R"\((?:.|\n)*?\)"', re.S)


def strip(text):
    """Blanks strings and comments, keeping line breaks so line numbers hold."""
    return TOKENS.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def long_functions(text, limit):
    code = strip(text)
    found, stack, start_text = [], [], 0
    for i, ch in enumerate(code):
        if ch == "{":
            before = code[start_text:i].strip()
            head = before.split(";")[-1].strip()
            is_function = (bool(SIGNATURE_END.search(head)) and not CONTROL.search(head[-80:])
                           and not any(kind == "function" for kind, _ in stack))
            in_function = any(kind == "function" for kind, _ in stack)
            # constructor initializer lists end with ')' or '}' too: "X::X() : a_(1), b_{2} {"
            if (not is_function and re.search(r"\)\s*:\s*[\w_]+[\(\{]", head) and
                    re.search(r"[\)\}]$", head)):
                is_function = not in_function
            # "b_{2}" inside an initializer list is not a block: keep the signature text.
            in_initializers = (not is_function and not in_function and
                               re.search(r"\)\s*(noexcept\s*)?:\s*[\w:]", head) and
                               re.search(r"[\w>]\s*$", head))
            kind = "function" if is_function else "initializer" if in_initializers else "block"
            stack.append((kind, i))
            if kind != "initializer":
                start_text = i + 1
        elif ch == "}":
            if stack:
                kind, opened = stack.pop()
                if kind == "initializer":
                    continue
                if kind == "function":
                    first = code.count("\n", 0, opened) + 1
                    last = code.count("\n", 0, i) + 1
                    if last - first + 1 > limit:
                        found.append((first, last - first + 1, function_name(code, opened)))
            start_text = i + 1
        elif ch == ";":
            start_text = i + 1
    return found


def function_name(code, opened):
    """The declared name: the first "name(" of the signature, so a constructor's initializer
    list ("X::X() : impl_(...) {") names X::X, not its last member."""
    head = code[max(0, opened - 400):opened]
    signature = re.split(r"[;{}]", head)[-1]
    names = re.findall(r"([~\w:]+)\s*\(", signature) or re.findall(r"([~\w:]+)\s*\(", head)
    return names[0] if names else "?"


def check(root, folders, max_file_lines, max_function_lines):
    problems = []
    for folder in folders:
        for base, dirs, names in os.walk(os.path.join(root, folder)):
            dirs.sort()
            for name in sorted(names):
                if not name.endswith((".cpp", ".hpp")):
                    continue
                path = os.path.join(base, name)
                rel = os.path.relpath(path, root)
                text = open(path, encoding="utf-8", errors="replace").read()
                lines = text.count("\n")
                if lines > max_file_lines:
                    problems.append(f"{rel}: {lines} lines (limit {max_file_lines}); split it "
                                    f"by concept")
                for line, length, function in long_functions(text, max_function_lines):
                    problems.append(f"{rel}:{line}: {function} is {length} lines (limit "
                                    f"{max_function_lines}); extract steps into functions")
    return problems


def write(root, rel, text):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def self_test():
    """The check must flag each kind of oversize by name, and pass a tree within the limits."""
    def body(lines):
        return "".join(f"  total += {i};\n" for i in range(lines))

    cases = {
        "long file": ("core/a/Long.cpp", "int x;\n" * 501, "core/a/Long.cpp: 501 lines"),
        "long function": ("core/a/F.cpp", "int sum() {\n  int total = 0;\n" + body(120) +
                          "  return total;\n}\n", "core/a/F.cpp:1: sum is 124 lines"),
        "long method": ("widgets/W.cpp", "void Window::build() const {\n" + body(119) + "}\n",
                        "widgets/W.cpp:1: Window::build is 121 lines"),
        "long constructor": ("app/cli/C.cpp", "Cli::Cli(int argc) : argc_(argc), names_{} {\n" +
                             body(119) + "}\n", "app/cli/C.cpp:1: Cli::Cli is 121 lines"),
        "long lambda body in namespace": (
            "core/a/N.hpp", "namespace imuwb {\ninline int f(int total) {\n" + body(119) +
            "}\n}  // namespace imuwb\n", "core/a/N.hpp:2: f is 121 lines"),
    }
    base_files = {
        "core/a/Ok.cpp": "int ok() {\n" + body(118) + "}\n" + "int y;\n" * 378,
        "core/a/Control.cpp": "void g() {\n  if (true) {\n" + body(110) + "  }\n}\n",
        "widgets/W.hpp": "// strings and comments hold no code: \"{\" /* { */\n",
        "app/cli/Main.cpp": 'const char* text = R"(\n{\n' + "x\n" * 200 + '})";\n',
    }
    folders = ["core", "widgets", "app"]
    failures = []
    with tempfile.TemporaryDirectory() as clean:
        for rel, text in base_files.items():
            write(clean, rel, text)
        problems = check(clean, folders, 500, 120)
        if problems:
            failures.append(f"clean tree flagged: {problems}")
    for label, (rel, text, expected) in cases.items():
        with tempfile.TemporaryDirectory() as root:
            for r, t in base_files.items():
                write(root, r, t)
            write(root, rel, text)
            problems = check(root, folders, 500, 120)
            if not any(p.startswith(expected) for p in problems):
                failures.append(f"{label}: expected a problem starting '{expected}', got {problems}")
    for f in failures:
        print("SELF-TEST FAILED:", f)
    print(f"sizes self-test: {len(cases) - len(failures)}/{len(cases)} oversizes caught")
    return not failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=os.path.join(os.path.dirname(__file__), ".."))
    parser.add_argument("--max-file-lines", type=int, default=500)
    parser.add_argument("--max-function-lines", type=int, default=120)
    parser.add_argument("--self-test", action="store_true")
    parser.add_argument("folders", nargs="*", default=["core", "widgets", "app"])
    args = parser.parse_args()
    if args.self_test:
        return 0 if self_test() else 1
    problems = check(args.root, args.folders, args.max_file_lines, args.max_function_lines)
    for p in problems:
        print("sizes:", p)
    print(f"sizes: {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
