#!/usr/bin/env python3
"""Prints what the browser downloads of the wasm after `make build`: gzipped (-9, the
budget's measure) and the brotli copies the server sends to browsers that accept them.

Pages are Leptos islands, and the build is split (`cargo leptos build --split`): the main
module holds the islands runtime, the language picker, sign-out and the phone widget's
idle tab; each page's islands (`#[island(lazy)]`, named `…_loader`) and the widget's
workings (`#[lazy]`) are pieces of their own that may share further chunks with others.
A page works once the main module and its island's chunks have arrived. Each file is
compressed on its own, as the browser fetches it.

`--budget KB`: exits non-zero if what a page needs before it works (the main module and
its page's island piece, gzip -9) is over KB; `make test` keeps every page under 300.
"""
import functools
import gzip
import json
import os
import sys

args = sys.argv[1:]
budget = None
if "--budget" in args:
    i = args.index("--budget")
    budget = float(args[i + 1])
    del args[i:i + 2]
pkg = args[0] if args else "target/site/pkg"


@functools.cache  # pieces share chunks: compress each file once
def gz(name):
    with open(os.path.join(pkg, name), "rb") as f:
        return len(gzip.compress(f.read(), 9))


def br(name):
    """The brotli copy the server sends (`make build` writes it, `--precompress`)."""
    path = os.path.join(pkg, name + ".br")
    return os.path.getsize(path) if os.path.exists(path) else None


def named(prefix, suffix):
    """The file `prefix` + `suffix`, or its content-hashed name (`hash-files`)."""
    names = [f for f in os.listdir(pkg) if f.startswith(prefix) and f.endswith(suffix)]
    return min(names, key=len) if names else None


main_name = named("ringdesk", ".wasm")
manifest_name = named("__wasm_split_manifest", ".json")
manifest = json.load(open(os.path.join(pkg, manifest_name))) if manifest_name else {}


def piece(name):
    """The chunks of the split-off piece whose name contains `name`."""
    return next((set(v) for k, v in manifest.items() if name in k), set())


def files_of(*names):
    return [main_name] + [c + ".wasm" for c in set().union(*(piece(n) for n in names))]


def with_main(*names):
    """The main module and the named pieces: gzip -9 (the budget) and brotli (as sent)."""
    files = files_of(*names)
    sent = [br(f) for f in files]
    sent = "   (none)" if None in sent else f"{sum(sent) / 1000:4.0f} KB"
    return f"{sum(map(gz, files)) / 1000:4.0f} KB  {sent}"


print(f"wasm: {'':47s}gzip -9  brotli (as sent)")
print(f"  {'main module':45s} {with_main()}")
for key in sorted(manifest):
    label = key.strip("_").rsplit("_", 1)[0]
    print(f"  {'main + ' + label:45s} {with_main(key)}")
if manifest:
    print(f"  {'an agent on the ticket list, widget started':45s} "
          f"{with_main('phone_widget')}")
    print(f"  {'every piece':45s} {with_main(*manifest)}")

def data_bytes(name):
    """The size of a wasm file's data section (its initial memory: texts, tables)."""
    with open(os.path.join(pkg, name), "rb") as f:
        b = f.read()

    def leb(i):
        value, shift = 0, 0
        while True:
            byte = b[i]
            i += 1
            value |= (byte & 0x7F) << shift
            shift += 7
            if byte < 0x80:
                return value, i

    i, total = 8, 0
    while i < len(b):
        section = b[i]
        size, i = leb(i + 1)
        if section == 11:
            total += size
        i += size
    return total


# The pieces' data (texts above all) travels with them, unless the splitter found no
# room to lay it out and left it all in the main module (frontend/src/lib.rs,
# SPLIT_DATA_SLACK): then every page would carry every other page's texts.
pieces_data = sum(data_bytes(f) for f in files_of(*manifest)[1:]) if manifest else None
print(f"  data in the main module {data_bytes(main_name) / 1000:.0f} KB, in the pieces "
      f"{(pieces_data or 0) / 1000:.0f} KB (uncompressed)")

if budget is not None:
    if pieces_data == 0:
        print("every piece's data is in the main module: wasm-split found no room to move it "
              "(make SPLIT_DATA_SLACK in frontend/src/lib.rs larger)")
        sys.exit(1)
    # A page needs the main module and, if it has a form, its island's piece (`…_loader`);
    # the widget's workings start after the page works.
    pages = [()] + [(k,) for k in manifest if "_loader" in k]
    over = [(p, sum(map(gz, files_of(*p))) / 1000) for p in pages]
    over = [(p, kb) for p, kb in over if kb > budget]
    for p, kb in over:
        print(f"over the budget of {budget:.0f} KB: main + {', '.join(p) or 'nothing'}: {kb:.1f} KB")
    if over:
        sys.exit(1)
    print(f"every page under {budget:.0f} KB gzipped")
