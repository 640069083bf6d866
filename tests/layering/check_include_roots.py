#!/usr/bin/env python3
"""The layering, checked where the compiler sees it: the build's compile_commands.json.

cmake/ModuleBoundaries.cmake holds the table of which module may include which and checks
the sources' #include lines at configure time; cmake/ModuleHeaders.cmake gives each module's
library an include root of its own (include_roots/<module>/<module> -> src/<module>) and
grants single headers (include_roots/<target>.grants/). This test checks that the second
agrees with the first, for every source of src/ the build compiles:

1. No include directory is src/ or inside it (src/ would show every module's headers).
2. Every include root is a module root or a grant root, made as ModuleHeaders.cmake makes
   them (one link to the module's folder; links to single headers).
3. The roots a module's sources see are those of the modules its table row reaches, its own
   row and, through them, the rows of what it may include (a module's headers include
   their own dependencies'), and the headers granted to it are in that reach too.
4. The compiler agrees: with a module's real compile flags, a file including a header of
   every module out of its reach fails to preprocess ("No such file"), and one including
   a header of its own module preprocesses. Only the preprocessor runs (-E), nothing is
   built or written.

Usage: check_include_roots.py <compile_commands.json> <source dir> <include roots dir> <table>
where <table> has one line per module, "module: allowed...", written by tests/CMakeLists.txt
from cmake/ModuleBoundaries.cmake.
"""
import json
import os
import shlex
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

INCLUDE_FLAGS = ("-I", "-isystem", "-iquote", "-idirafter")


def read_table(path):
    table = {}
    with open(path) as f:
        for line in f:
            if ":" not in line:
                continue
            module, allowed = line.split(":", 1)
            table[module.strip()] = allowed.split()
    return table


def reach(table, module, seen=None):
    """(modules, headers) that module's sources may see, directly or through others."""
    if seen is None:
        seen = set()
    modules, headers = {module}, set()
    seen.add(module)
    for entry in table.get(module, []):
        if "/" in entry:
            headers.add(entry)
        elif entry not in seen:
            m, h = reach(table, entry, seen)
            modules |= m
            headers |= h
        else:
            modules.add(entry)
    return modules, headers


def include_dirs(arguments):
    dirs = []
    i = 0
    while i < len(arguments):
        argument = arguments[i]
        for flag in INCLUDE_FLAGS:
            if argument == flag and i + 1 < len(arguments):
                dirs.append(arguments[i + 1])
                i += 1
                break
            if argument.startswith(flag) and len(argument) > len(flag):
                dirs.append(argument[len(flag):])
                break
        i += 1
    return dirs


def inside(path, folder):
    path, folder = os.path.realpath(path), os.path.realpath(folder)
    return path == folder or path.startswith(folder + os.sep)


def headers_of(src, module):
    folder = os.path.join(src, module)
    return sorted(n for n in os.listdir(folder) if n.endswith(".hpp"))


def describe_root(root, roots_dir, src, problems):
    """('module', name) or ('grants', {module/file...}), or None with a problem noted."""
    name = os.path.basename(os.path.normpath(root))
    entries = sorted(os.listdir(root)) if os.path.isdir(root) else []
    if name.endswith(".grants"):
        granted = set()
        for folder, _, files in os.walk(root):
            for file in files:
                link = os.path.join(folder, file)
                relative = os.path.relpath(link, root)
                if not os.path.islink(link) or os.path.realpath(link) != os.path.realpath(
                        os.path.join(src, relative)):
                    problems.append(f"{link}: not a link to src/{relative}")
                granted.add(relative)
        return ("grants", granted)
    link = os.path.join(root, name)
    if entries != [name] or not os.path.islink(link) or os.path.realpath(link) != \
            os.path.realpath(os.path.join(src, name)):
        problems.append(f"{root}: a module root holds one link, {name} -> src/{name}; "
                        f"holds {entries}")
        return None
    return ("module", name)


def probe(entry, header, scratch_dir):
    """Preprocess a file holding `#include "header"` with entry's flags: (ok, message)."""
    arguments = entry["arguments"] if "arguments" in entry else shlex.split(entry["command"])
    kept = [arguments[0]]
    skip = False
    for argument in arguments[1:]:
        if skip:
            skip = False
            continue
        if argument in ("-o", "-MF", "-MT", "-MQ"):
            skip = True  # and the value: nothing of the build is written
            continue
        if argument in ("-c", "-MD", "-MMD") or argument == entry["file"]:
            continue
        kept.append(argument)
    scratch = os.path.join(scratch_dir, header.replace("/", "_") + ".probe.cpp")
    with open(scratch, "w") as f:
        f.write(f'#include "{header}"\n')
    result = subprocess.run(kept + ["-E", "-o", os.devnull, scratch], cwd=entry["directory"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    return result.returncode == 0, result.stderr.strip()


def main():
    commands_path, src_root, roots_dir, table_path = sys.argv[1:5]
    src = os.path.join(src_root, "src")
    table = read_table(table_path)
    with open(commands_path) as f:
        commands = json.load(f)
    problems = []
    roots = {}  # include folder -> its description (None: not a root of ours)
    showing_src = {}  # include folder that shows src/ -> a file compiled with it
    too_much = {}  # (module, what it sees but may not) -> the first source that does
    first_of = {}  # module -> the first compile command of one of its sources
    for entry in commands:
        arguments = entry["arguments"] if "arguments" in entry else shlex.split(entry["command"])
        seen_modules, seen_headers = set(), set()
        for folder in include_dirs(arguments):
            folder = os.path.normpath(os.path.join(entry["directory"], folder))
            if inside(folder, src) or inside(src, folder):
                showing_src.setdefault(folder, entry["file"])
            elif inside(folder, roots_dir) and not inside(roots_dir, folder):
                if folder not in roots:
                    roots[folder] = describe_root(folder, roots_dir, src, problems)
                root = roots[folder]
                if root and root[0] == "module":
                    seen_modules.add(root[1])
                elif root:
                    seen_headers |= root[1]
        # The module a source belongs to: src/<module>/..., or a file generated from one.
        relative = None
        if inside(entry["file"], src):
            relative = os.path.relpath(os.path.realpath(entry["file"]), os.path.realpath(src))
        else:
            build_src = os.path.join(entry["directory"], "src")
            if inside(entry["file"], build_src):
                relative = os.path.relpath(entry["file"], build_src)
        if relative is None:
            continue  # tests: they link what they test, like cli
        module = relative.split(os.sep)[0]
        if module not in table:
            problems.append(f"{entry['file']}: module {module} has no row in the table")
            continue
        modules, headers = reach(table, module)
        for extra in sorted(seen_modules - modules):
            too_much.setdefault((module, f"all of {extra}/"), relative)
        for extra in sorted(h for h in seen_headers - headers if h.split("/")[0] not in modules):
            too_much.setdefault((module, extra), relative)
        first_of.setdefault(module, entry)
    for folder, file in sorted(showing_src.items()):
        problems.append(f"include directory {folder} shows src/ (e.g. to {file})")
    for (module, what), relative in sorted(too_much.items()):
        problems.append(f"src/{relative} (maybe more of {module}/) sees {what}, which "
                        f"{module} may not include (cmake/ModuleBoundaries.cmake)")
    if not commands:
        problems.append(f"{commands_path}: no compile commands")

    # The probes: a header of its own per module, which must preprocess (or the flags are
    # no good, and a failure below would prove nothing), then one header of every module
    # out of its reach, which must not be found.
    own, foreign = [], []
    for module, entry in sorted(first_of.items()):
        modules, headers = reach(table, module)
        mine = headers_of(src, module)
        if mine:
            own.append((module, entry, f"{module}/{mine[0]}"))
        for other in sorted(table):
            if other in modules or not os.path.isdir(os.path.join(src, other)):
                continue
            forbidden = [h for h in headers_of(src, other) if f"{other}/{h}" not in headers]
            if forbidden:
                foreign.append((module, entry, f"{other}/{forbidden[0]}"))
    with tempfile.TemporaryDirectory() as scratch_dir, ThreadPoolExecutor(2) as pool:
        def run(jobs):
            return list(pool.map(lambda job: probe(job[1], job[2], scratch_dir), jobs))

        broken = set()
        for (module, entry, header), (ok, message) in zip(own, run(own)):
            if not ok:
                broken.add(module)
                problems.append(f"{module}: its own {header} does not preprocess with the "
                                f"flags of {entry['file']}:\n{message}")
        foreign = [job for job in foreign if job[0] not in broken]
        for (module, entry, header), (ok, message) in zip(foreign, run(foreign)):
            if ok:
                problems.append(f"{module}: a file including {header}, out of its reach, "
                                f"preprocesses (flags of {entry['file']})")
            elif "No such file" not in message and "not found" not in message:
                problems.append(f"{module}: {header} fails for another reason than not "
                                f"being found:\n{message}")

    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{len(commands)} compile commands, {len(first_of)} modules, "
          f"{len(own) + len(foreign)} preprocessor probes: {'FAILED' if problems else 'ok'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
