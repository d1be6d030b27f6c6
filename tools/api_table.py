#!/usr/bin/env python3
"""Writes docs/API.md, the table of every function the public headers declare.

The list comes from the compiler, not from reading the text: one C
translation unit includes every header in iocp/include, clang dumps its
syntax tree as JSON, and each function declared in one of those headers is
listed under the header that declares it (for a function made by a macro,
the header that expands the macro). A function is either exported by
libiocp.so (under its assembler label when the header gives one, as
winsock2.h does for the names glibc also has) or static inline in the header.
Names ending in an underscore are the headers' internal helpers and are left
out.

Regenerate after changing a header (from the repository root):

    python3 tools/api_table.py --write

Check mode (what //docs:api_table_test runs) fails when docs/API.md differs
from what the headers give now, or when a declared non-inline function is
not exported by libiocp.so:

    python3 tools/api_table.py --check docs/API.md --library bazel-bin/iocp/libiocp.so
"""

import argparse
import difflib
import json
import os
import subprocess
import sys
import tempfile

CLANG = "clang-14"
REGENERATE = "python3 tools/api_table.py --write"


def annotate_files(node, state):
    """Walks the JSON dump in document order. clang writes a location's file
    only when it differs from the previous location's, so the current file is
    carried along; every bare location gets it as '__file'."""
    if isinstance(node, dict):
        if "offset" in node:
            if "file" in node:
                state["file"] = node["file"]
            node["__file"] = state["file"]
        for value in node.values():
            annotate_files(value, state)
    elif isinstance(node, list):
        for value in node:
            annotate_files(value, state)


def declared_functions(include_dir):
    """Returns {header: {name: (inline, symbol)}} for the headers' functions."""
    headers = sorted(f for f in os.listdir(include_dir) if f.endswith(".h"))
    # windows.h and winsock2.h first, as programs include them; then the rest.
    first = [h for h in ("windows.h", "winsock2.h") if h in headers]
    order = first + [h for h in headers if h not in first]
    with tempfile.TemporaryDirectory() as work:
        source = os.path.join(work, "all_headers.c")
        with open(source, "w") as out:
            for header in order:
                out.write('#include "%s"\n' % header)
        dump = subprocess.run(
            [CLANG, "-x", "c", "-std=gnu11", "-I", include_dir, "-fsyntax-only",
             "-Xclang", "-ast-dump=json", source],
            check=True, stdout=subprocess.PIPE).stdout
    tree = json.loads(dump)
    annotate_files(tree, {"file": None})
    # Paths as clang opened them (not resolved: Bazel's runfiles are symlinks).
    include_dir = os.path.normpath(os.path.abspath(include_dir))
    result = {}
    for node in tree.get("inner", []):
        if node.get("kind") != "FunctionDecl" or node.get("isImplicit"):
            continue
        name = node["name"]
        if name.endswith("_"):
            continue
        loc = node["loc"]
        where = (loc.get("expansionLoc") or loc).get("__file")
        if where is None:
            continue
        path = os.path.normpath(os.path.join(include_dir, where))
        if os.path.dirname(path) != include_dir:
            continue  # a system header's function
        header = os.path.basename(path)
        inline = node.get("storageClass") == "static"
        symbol = node.get("mangledName", name)
        entry = result.setdefault(header, {})
        if name in entry:
            # A redeclaration: inline if any declaration is.
            inline = inline or entry[name][0]
        entry[name] = (inline, symbol)
    return result


def render(functions):
    lines = [
        "# The Windows API in iocp's headers",
        "",
        "Every function the public headers (iocp/include) declare, by header. "
        "**exported**: implemented in libiocp.so; **inline**: defined in the header "
        "(nothing to link). Generated from the headers by tools/api_table.py; "
        "do not edit by hand: regenerate with `%s`." % REGENERATE,
        "",
    ]
    total = sum(len(v) for v in functions.values())
    exported = sum(1 for v in functions.values() for inline, _ in v.values() if not inline)
    lines.append("%d functions: %d exported, %d inline." % (total, exported, total - exported))
    for header in sorted(functions, key=str.lower):
        lines += ["", "## %s" % header, ""]
        for name in sorted(functions[header], key=lambda n: (n.lower(), n)):
            inline, symbol = functions[header][name]
            if inline:
                lines.append("- `%s`: inline" % name)
            elif symbol != name:
                lines.append("- `%s`: exported (links as `%s`)" % (name, symbol))
            else:
                lines.append("- `%s`: exported" % name)
    return "\n".join(lines) + "\n"


def exported_symbols(library):
    out = subprocess.run(["nm", "-D", "--defined-only", library], check=True,
                         stdout=subprocess.PIPE, universal_newlines=True).stdout
    symbols = set()
    for line in out.splitlines():
        fields = line.split()
        if len(fields) >= 3 and fields[1] in "TWiV":
            symbols.add(fields[2].split("@")[0])
    return symbols


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--include", default=os.path.join(root, "iocp", "include"))
    parser.add_argument("--write", action="store_true", help="write docs/API.md")
    parser.add_argument("--check", metavar="API_MD", help="compare with this file")
    parser.add_argument("--library", help="libiocp.so: every exported function must be in it")
    args = parser.parse_args()

    functions = declared_functions(args.include)
    text = render(functions)
    if args.write:
        with open(os.path.join(root, "docs", "API.md"), "w") as out:
            out.write(text)
        return 0
    if not args.check:
        sys.stdout.write(text)
        return 0

    failed = False
    with open(args.check) as existing:
        current = existing.read()
    if current != text:
        failed = True
        sys.stderr.write("FAIL: docs/API.md is out of date with the headers; regenerate it with\n"
                         "    %s\nThe difference:\n" % REGENERATE)
        sys.stderr.writelines(difflib.unified_diff(
            current.splitlines(True), text.splitlines(True), "docs/API.md", "generated"))
    if args.library:
        symbols = exported_symbols(args.library)
        missing = sorted("%s (%s, symbol %s)" % (name, header, symbol)
                         for header, entries in functions.items()
                         for name, (inline, symbol) in entries.items()
                         if not inline and symbol not in symbols)
        if missing:
            failed = True
            sys.stderr.write("FAIL: declared in the headers but not exported by libiocp.so "
                             "(unimplemented, or missing from iocp/dist/exports.map):\n")
            for entry in missing:
                sys.stderr.write("    %s\n" % entry)
    if failed:
        return 1
    print("PASS: docs/API.md matches the headers (%d headers); every declared function is "
          "exported" % len(functions) if args.library else "PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
