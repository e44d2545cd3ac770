#!/usr/bin/env python3
"""Checks that bootstrap installs everything the configured build found.

Reads a build folder's CMakeCache.txt, takes every package config folder (*_DIR), header
folder, library, program and pkg-config module CMake resolved, maps each to the Debian package
that owns it (`dpkg -S`), and checks that package is in scripts/debian-packages.txt or in the
`apt-cache depends --recurse` closure of that list. Fails naming each missing package and the
cache entries that need it. A fresh machine then never meets a configure error that CI hid
because the developer's machine happened to have the package.

usage: check-package-closure.py BUILD_DIR [--packages FILE] [--closure-cache FILE]
"""
import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys

# Found if present but never needed: CMake's own Find modules look for them unconditionally,
# and a fresh machine without them configures and builds fine.
OPTIONAL_ENTRIES = {
    "OPENGL_glu_LIBRARY": "FindOpenGL always looks for GLU; nothing links it",
    "OPENGL_egl_LIBRARY": "FindOpenGL always looks for EGL; Qt6Gui here uses GLX, nothing links it",
    "OPENGL_EGL_INCLUDE_DIR": "FindOpenGL always looks for EGL; nothing includes it",
    "OPENGL_gles2_LIBRARY": "FindOpenGL always looks for GLES; nothing links it",
    "OPENGL_gles3_LIBRARY": "FindOpenGL always looks for GLES; nothing links it",
}
# Entries that name the build's own choices rather than something the build found.
IGNORED_ENTRIES = {"CMAKE_INSTALL_PREFIX", "CMAKE_INSTALL_OLDINCLUDEDIR"}
GENERIC_DIRS = {"/", "/usr", "/usr/include", "/usr/lib", "/usr/bin", "/usr/share",
                "/usr/lib/x86_64-linux-gnu", "/lib", "/lib/x86_64-linux-gnu"}


def read_package_list(path):
    """Package names from debian-packages.txt (conditional lines count: bootstrap may install them)."""
    names = []
    with open(path, encoding="utf-8") as stream:
        for line in stream:
            fields = line.split("#", 1)[0].split()
            if fields:
                names.append(fields[0])
    return names


def apt_cache_stamp():
    """Changes whenever apt's package lists change, so a stale closure is never reused."""
    for candidate in ("/var/cache/apt/pkgcache.bin", "/var/lib/apt/lists", "/var/lib/dpkg/status"):
        if os.path.exists(candidate):
            return f"{candidate}:{os.stat(candidate).st_mtime_ns}"
    return "none"


def dependency_closure(packages, cache_path):
    key = hashlib.sha256((" ".join(sorted(packages)) + "|" + apt_cache_stamp()).encode()).hexdigest()
    if cache_path and os.path.exists(cache_path):
        try:
            with open(cache_path, encoding="utf-8") as stream:
                cached = json.load(stream)
            if cached.get("key") == key:
                return set(cached["closure"])
        except (OSError, ValueError, KeyError):
            pass  # recompute below
    command = ["apt-cache", "depends", "--recurse", "--no-recommends", "--no-suggests",
               "--no-conflicts", "--no-breaks", "--no-replaces", "--no-enhances"] + packages
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    # Unindented lines are the packages reached (virtual ones as <name>); indented lines are edges.
    closure = {line.strip().strip("<>") for line in output.splitlines() if line and not line[0].isspace()}
    closure.update(packages)
    if cache_path:
        os.makedirs(os.path.dirname(os.path.abspath(cache_path)), exist_ok=True)
        temporary = cache_path + ".tmp"
        with open(temporary, "w", encoding="utf-8") as stream:
            json.dump({"key": key, "closure": sorted(closure)}, stream)
        os.replace(temporary, cache_path)
    return closure


def read_cache(path):
    entries = {}
    pattern = re.compile(r"^([A-Za-z0-9_.+-]+):([A-Z]+)=(.*)$")
    with open(path, encoding="utf-8", errors="replace") as stream:
        for line in stream:
            match = pattern.match(line.rstrip("\n"))
            if match:
                entries[match.group(1)] = (match.group(2), match.group(3))
    return entries


def config_file_in(folder, package_name):
    """The <Name>Config.cmake / <name>-config.cmake a *_DIR entry points at, if any."""
    candidates = [f"{package_name}Config.cmake", f"{package_name.lower()}-config.cmake",
                  f"{package_name}-config.cmake"]
    for name in candidates:
        if os.path.isfile(os.path.join(folder, name)):
            return os.path.join(folder, name)
    for name in sorted(os.listdir(folder)):
        if name.endswith(("Config.cmake", "-config.cmake")):
            return os.path.join(folder, name)
    return folder


def resolved_paths(entries, source_dir, build_dir):
    """(cache entry, absolute path) for everything the configure step found on this machine."""
    found = []
    for name, (kind, value) in entries.items():
        if name in IGNORED_ENTRIES or name in OPTIONAL_ENTRIES:
            continue
        if kind == "INTERNAL" and name.endswith("_MODULE_NAME") and value:
            pc = subprocess.run(["pkg-config", "--path", value], capture_output=True, text=True)
            if pc.returncode == 0 and pc.stdout.strip():
                found.append((name, pc.stdout.strip()))
            continue
        if kind not in ("PATH", "FILEPATH", "STRING", "UNINITIALIZED"):
            continue
        if name.endswith("_COMPILER_LAUNCHER") and value and not value.startswith("/"):
            value = shutil.which(value) or ""
        for item in value.split(";"):
            if not item.startswith("/") or not os.path.exists(item):
                continue
            real = os.path.realpath(item)
            if real.startswith((source_dir, build_dir)) or item in GENERIC_DIRS:
                continue
            if name.endswith("_DIR") and os.path.isdir(item):
                item = config_file_in(item, name[: -len("_DIR")])
            found.append((name, item))
    return found


def twins(path):
    """The path, its symlink target, and the /lib <-> /usr/lib twin (dpkg records either)."""
    tries = [path, os.path.realpath(path)]
    for candidate in list(tries):
        if candidate.startswith(("/usr/lib/", "/usr/bin/")):
            tries.append(candidate[len("/usr"):])
        elif candidate.startswith(("/lib/", "/bin/")):
            tries.append("/usr" + candidate)
    return list(dict.fromkeys(tries))


def owners_of(paths):
    """path -> set of owning Debian packages, from one `dpkg -S` call (each call reads every list)."""
    candidates = sorted({twin for path in paths for twin in twins(path)})
    if not candidates:
        return {}
    # dpkg -S exits 1 when some path has no owner; the owned ones are still printed.
    output = subprocess.run(["dpkg", "-S"] + candidates, capture_output=True, text=True).stdout
    owned_by = {}
    for line in output.splitlines():
        if line.startswith("diversion ") or ": " not in line:
            continue
        listed, owned = line.split(": ", 1)
        names = {p.strip().split(":")[0] for p in listed.split(",")}
        owned_by.setdefault(owned.strip(), set()).update(names)
    result = {}
    for path in paths:
        for twin in twins(path):
            if owned_by.get(twin):
                result[path] = owned_by[twin]
                break
    return result


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("build_dir")
    parser.add_argument("--packages", default=os.path.join(root, "scripts", "debian-packages.txt"))
    parser.add_argument("--verbose", action="store_true", help="print each path and its package")
    parser.add_argument("--closure-cache", default=None,
                        help="where to keep the computed closure (default BUILD_DIR/package-closure.json)")
    args = parser.parse_args()
    build_dir = os.path.realpath(args.build_dir)
    cache_file = os.path.join(build_dir, "CMakeCache.txt")
    if not os.path.isfile(cache_file):
        print(f"check-package-closure: {cache_file} not found; configure first (make configure)")
        return 2
    entries = read_cache(cache_file)
    source_dir = os.path.realpath(entries.get("CMAKE_HOME_DIRECTORY", ("", root))[1])
    listed = read_package_list(args.packages)
    closure = dependency_closure(listed, args.closure_cache or os.path.join(build_dir, "package-closure.json"))

    missing = {}     # package -> cache entries that need it
    unowned = []
    checked = 0
    found = resolved_paths(entries, source_dir, build_dir)
    owned_by = owners_of([path for _, path in found])
    for entry, path in found:
        packages = owned_by.get(path, set())
        if not packages:
            unowned.append((entry, path))
            continue
        checked += 1
        if args.verbose:
            print(f"{entry} = {path}: {', '.join(sorted(packages))}")
        if packages & closure:
            continue
        for package in sorted(packages):
            missing.setdefault(package, []).append(f"{entry} = {path}")

    for entry, path in unowned:
        print(f"note: {entry} = {path} belongs to no Debian package (installed by hand?)")
    if missing:
        print(f"FAIL: {len(missing)} package(s) the build uses are not installed by scripts/bootstrap.sh")
        print(f"      (not in {args.packages} nor in its dependency closure):")
        for package, uses in sorted(missing.items()):
            print(f"  missing package: {package}")
            for use in uses:
                print(f"      needed by {use}")
        print("Add each missing package to scripts/debian-packages.txt.")
        return 1
    print(f"ok: {checked} paths CMake resolved all come from {len(listed)} listed packages "
          f"or their closure ({len(closure)} packages)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
