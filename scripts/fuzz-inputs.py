#!/usr/bin/env python3
"""Prints one hash of everything a fuzz target reaches, so that the test script fuzzes only
what a change touches.

    python3 scripts/fuzz-inputs.py TARGET [SEED_DIR ...]

What counts: the target's source; the workspace crates it names (`jixiao_…`) and, through
`cargo metadata`, every workspace crate those depend on, all their files; the fuzz package's
manifest and lock file, the workspace's lock file; its corpus folder and the seed folders
given. A change to any of them changes the hash; a change anywhere else does not.
"""

import hashlib
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def workspace_crates():
    """Package name -> (folder, workspace dependencies), from cargo itself."""
    out = subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--no-deps", "--offline"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    crates = {}
    for p in json.loads(out)["packages"]:
        deps = [d["name"] for d in p["dependencies"] if d["kind"] is None]
        crates[p["name"]] = (os.path.dirname(p["manifest_path"]), deps)
    return crates


def reached(target_source, crates):
    """The workspace crates a target's source names, and all they depend on."""
    named = {"jixiao-" + m for m in re.findall(r"\bjixiao_(\w+)", target_source)}
    todo = [n for n in named if n in crates]
    seen = set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        todo.extend(d for d in crates[name][1] if d in crates)
    return sorted(seen)


def files_under(folder):
    """Every file below `folder`, build output left out, in a stable order."""
    found = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if d != "target")
        found.extend(os.path.join(dirpath, f) for f in sorted(filenames))
    return found


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: fuzz-inputs.py TARGET [SEED_DIR ...]")
    target, seeds = sys.argv[1], sys.argv[2:]
    source_path = os.path.join(ROOT, "fuzz", "fuzz_targets", target + ".rs")
    with open(source_path, encoding="utf-8") as f:
        source = f.read()
    crates = workspace_crates()
    paths = [
        source_path,
        os.path.join(ROOT, "fuzz", "Cargo.toml"),
        os.path.join(ROOT, "fuzz", "Cargo.lock"),
        os.path.join(ROOT, "Cargo.lock"),
    ]
    for name in reached(source, crates):
        paths.extend(files_under(crates[name][0]))
    for folder in [os.path.join("fuzz", "corpus", target)] + seeds:
        paths.extend(files_under(os.path.join(ROOT, folder)))
    digest = hashlib.sha256()
    for path in paths:
        if not os.path.isfile(path):
            continue
        digest.update(os.path.relpath(path, ROOT).encode())
        with open(path, "rb") as f:
            digest.update(hashlib.sha256(f.read()).digest())
    print(digest.hexdigest())


if __name__ == "__main__":
    main()
