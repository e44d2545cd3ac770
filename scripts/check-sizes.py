#!/usr/bin/env python3
"""Fails when a source file or a function outgrows what one reader holds in mind.

Files: at most --max-file-lines lines (default 550: "a few hundred lines", with slack).
Functions: at most --max-function-lines lines from the opening to the closing brace (default
120: "fits on a screen"). Function bodies are found by brace matching outside strings and
comments: a brace at namespace or class level whose preceding text ends like a signature.

usage: check-sizes.py [--root DIR] [folders...]   (default folders: core widgets app)
"""
import argparse
import os
import re
import sys

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
            head = before.split(";")[-1].split("}")[-1].strip()
            is_function = (bool(SIGNATURE_END.search(head)) and not CONTROL.search(head[-80:])
                           and not any(kind == "function" for kind, _ in stack))
            # constructor initializer lists end with ')' or '}' too: "X::X() : a_(1), b_{2} {"
            if not is_function and re.search(r"\)\s*:\s*[\w_]+[\(\{]", head):
                is_function = not any(kind == "function" for kind, _ in stack)
            stack.append(("function" if is_function else "block", i))
            start_text = i + 1
        elif ch == "}":
            if stack:
                kind, opened = stack.pop()
                if kind == "function":
                    first = code.count("\n", 0, opened) + 1
                    last = code.count("\n", 0, i) + 1
                    if last - first + 1 > limit:
                        name = re.findall(r"([~\w:]+)\s*\(", code[max(0, opened - 400):opened])
                        found.append((first, last - first + 1, name[-1] if name else "?"))
            start_text = i + 1
        elif ch == ";":
            start_text = i + 1
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=os.path.join(os.path.dirname(__file__), ".."))
    parser.add_argument("--max-file-lines", type=int, default=550)
    parser.add_argument("--max-function-lines", type=int, default=120)
    parser.add_argument("folders", nargs="*", default=["core", "widgets", "app"])
    args = parser.parse_args()
    problems = []
    for folder in args.folders:
        for base, _, names in os.walk(os.path.join(args.root, folder)):
            for name in sorted(names):
                if not name.endswith((".cpp", ".hpp")):
                    continue
                path = os.path.join(base, name)
                rel = os.path.relpath(path, args.root)
                text = open(path, encoding="utf-8", errors="replace").read()
                lines = text.count("\n")
                if lines > args.max_file_lines:
                    problems.append(f"{rel}: {lines} lines (limit {args.max_file_lines}); split it "
                                    f"by concept")
                for line, length, function in long_functions(text, args.max_function_lines):
                    problems.append(f"{rel}:{line}: {function} is {length} lines (limit "
                                    f"{args.max_function_lines}); extract steps into functions")
    for p in problems:
        print("sizes:", p)
    print(f"sizes: {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
