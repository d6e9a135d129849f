#!/usr/bin/env python3
"""Prints what the browser downloads of the wasm, gzipped (-9), after `make build`.

The build is split (`cargo leptos build --split`): the main module holds the app's frame,
router and the phone widget's tab and live stream; each page (`#[lazy_route]`) and the
phone panel (`#[lazy]`) is a piece of its own that may share further chunks with others.
A page hydrates once the main module and its piece's chunks have arrived.
"""
import functools
import gzip
import json
import os
import sys

pkg = sys.argv[1] if len(sys.argv) > 1 else "target/site/pkg"


@functools.cache  # pieces share chunks: compress each file once
def gz(name):
    with open(os.path.join(pkg, name), "rb") as f:
        return len(gzip.compress(f.read(), 9))


def named(prefix, suffix):
    """The file `prefix` + `suffix`, or its content-hashed name (`hash-files`)."""
    names = [f for f in os.listdir(pkg) if f.startswith(prefix) and f.endswith(suffix)]
    return min(names, key=len) if names else None


main = gz(named("ringdesk", ".wasm"))
manifest_name = named("__wasm_split_manifest", ".json")
manifest = json.load(open(os.path.join(pkg, manifest_name))) if manifest_name else {}


def piece(name):
    """The chunks of the split-off piece whose name contains `name`."""
    return next((set(v) for k, v in manifest.items() if name in k), set())


def with_main(*names):
    chunks = set().union(*(piece(n) for n in names))
    return (main + sum(gz(c + ".wasm") for c in chunks)) / 1000


print(f"wasm, gzipped: main module {main / 1000:.0f} KB")
for key in sorted(manifest):
    label = key.strip("_").rsplit("_", 1)[0]
    print(f"  {label:32s} main + this piece: {with_main(key):4.0f} KB")
if manifest:
    print(f"  an agent on the ticket list, phone widget and panel fetched: "
          f"{with_main('ticket_list_route', 'phone_widget', 'phone_panel'):.0f} KB")
    print(f"  every piece: {with_main(*manifest):.0f} KB")
