#!/usr/bin/env python3
"""Writes openapi.yaml as one JSON document: each component that is a `$ref` to a file of
schemas/ is replaced by that JSON Schema, and the schema files' own references (`#/$defs/x`,
`route-leg.schema.json`) are rewritten to point inside the bundle. The repository keeps the
contracts in one place (schemas/, which the CLI's tests validate against); tools that cannot
follow file references read the bundle.

Usage: bundle-openapi.py OPENAPI.yaml OUT.json
"""
import json
import os
import sys

import yaml


def main():
    source, target = sys.argv[1], sys.argv[2]
    root = os.path.dirname(os.path.abspath(source))
    with open(source, encoding="utf-8") as f:
        spec = yaml.safe_load(f)
    schemas = spec["components"]["schemas"]
    # file name (as referenced) -> component name
    names = {}
    for name, schema in list(schemas.items()):
        ref = schema.get("$ref") if isinstance(schema, dict) else None
        if ref and not ref.startswith("#"):
            names[os.path.basename(ref)] = name
    loaded = {}
    pending = list(names)
    while pending:
        file = pending.pop()
        if file in loaded:
            continue
        with open(os.path.join(root, "schemas", file), encoding="utf-8") as f:
            loaded[file] = json.load(f)
        for other in referenced_files(loaded[file]):
            if other not in names:
                names[other] = component_name(other)
            pending.append(other)
    for file, schema in loaded.items():
        name = names[file]
        schema = rewrite(schema, name, names)
        schema.pop("$schema", None)
        schema.pop("$id", None)
        schemas[name] = schema
    with open(target, "w", encoding="utf-8") as f:
        json.dump(spec, f, ensure_ascii=False, indent=1)


def component_name(file):
    return "".join(part.capitalize() for part in file.replace(".schema.json", "").split("-"))


def referenced_files(node):
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and not ref.startswith("#"):
            yield ref.split("#")[0]
        for value in node.values():
            yield from referenced_files(value)
    elif isinstance(node, list):
        for value in node:
            yield from referenced_files(value)


def rewrite(node, name, names):
    if isinstance(node, dict):
        result = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                if value.startswith("#"):
                    result[key] = f"#/components/schemas/{name}" + value[1:]
                else:
                    file, _, fragment = value.partition("#")
                    result[key] = f"#/components/schemas/{names[file]}" + fragment
            else:
                result[key] = rewrite(value, name, names)
        return result
    if isinstance(node, list):
        return [rewrite(value, name, names) for value in node]
    return node


if __name__ == "__main__":
    main()
