#!/usr/bin/env python3
"""Validates one-bill documents against the project's schema and DCSA's own eBL 3.0.4 schema.

    python3 schemas/validate_one_bill.py BILLS_DIR_OR_FILE...   # a summary; exit 1 on any failure
    python3 schemas/validate_one_bill.py --json [PATH...]       # one result per document, as JSON

With no path, a JSON array of documents is read from standard input (the tests use this).

Every document is checked against schemas/one-bill.schema.json (draft 2020-12, formats
checked). Every document is also checked against DCSA's `TransportDocument` after removing its
`x-routeplanner` extension: the OpenAPI 3.0 file schemas/dcsa/dcsa-ebl-v3.0.4.yaml is loaded whole as
the root document so that its `#/components/schemas/...` references resolve, and checked with
draft 4 rules (OpenAPI 3.0 schema objects are draft 4 plus annotations the validator ignores).
A document without `documentStandard` claims to be a DCSA transport document and must pass;
a document with one (rail, road or air main carriage) is reported but need not pass.
Needs the Python packages jsonschema and PyYAML (Debian: python3-jsonschema python3-yaml).
"""
import glob
import json
import os
import sys

import yaml
from jsonschema import Draft4Validator, Draft202012Validator, FormatChecker

HERE = os.path.dirname(os.path.abspath(__file__))
PROJECT_SCHEMA = os.path.join(HERE, "one-bill.schema.json")
LEG_SCHEMA = os.path.join(HERE, "route-leg.schema.json")
DCSA_FILE = os.path.join(HERE, "dcsa", "dcsa-ebl-v3.0.4.yaml")
EXTENSION = "x-routeplanner"


def validators():
    """The project validator and the DCSA TransportDocument validator."""
    project_schema = json.load(open(PROJECT_SCHEMA, encoding="utf-8"))
    Draft202012Validator.check_schema(project_schema)
    # The leg is the shared leg contract in route-leg.schema.json, found by its $id.
    leg_schema = json.load(open(LEG_SCHEMA, encoding="utf-8"))
    try:  # jsonschema >= 4.18: a registry
        from referencing import Registry, Resource
        references = {"registry": Registry().with_resource(leg_schema["$id"], Resource.from_contents(leg_schema))}
    except ImportError:  # older jsonschema (Debian 12's 4.10): a resolver with the same store
        from jsonschema import RefResolver
        references = {"resolver": RefResolver.from_schema(project_schema, store={leg_schema["$id"]: leg_schema})}
    project = Draft202012Validator(project_schema, format_checker=FormatChecker(), **references)
    dcsa_root = yaml.safe_load(open(DCSA_FILE, encoding="utf-8"))
    # The whole OpenAPI file is the root; draft 4 ignores the siblings of `$ref`.
    dcsa_schema = dict(dcsa_root)
    dcsa_schema["$ref"] = "#/components/schemas/TransportDocument"
    dcsa = Draft4Validator(dcsa_schema, format_checker=FormatChecker())
    return project, dcsa


def messages(validator, document):
    """Sorted `path: message` lines of every error."""
    return sorted("/".join(map(str, e.absolute_path)) + ": " + e.message for e in validator.iter_errors(document))


def check(project, dcsa, document):
    stripped = {k: v for k, v in document.items() if k != EXTENSION} if isinstance(document, dict) else document
    return {
        "documentStandard": document.get("documentStandard") if isinstance(document, dict) else None,
        "project": messages(project, document),
        "dcsa": messages(dcsa, stripped),
    }


def files(paths):
    for path in paths:
        if os.path.isdir(path):
            yield from sorted(glob.glob(os.path.join(path, "*.json")))
        else:
            yield path


def main(argv):
    as_json = "--json" in argv
    paths = [a for a in argv if a != "--json"]
    project, dcsa = validators()
    if paths:
        names = list(files(paths))
        documents = [json.load(open(name, encoding="utf-8")) for name in names]
    else:
        documents = json.load(sys.stdin)
        names = [None] * len(documents)
    results = []
    for name, document in zip(names, documents):
        result = check(project, dcsa, document)
        if name is not None:
            result["file"] = name
        results.append(result)
    if as_json:
        json.dump(results, sys.stdout)
        return 0
    claimed = [r for r in results if r["documentStandard"] is None]
    others = [r for r in results if r["documentStandard"] is not None]
    standards = {}
    for r in others:
        standards[r["documentStandard"]] = standards.get(r["documentStandard"], 0) + 1
    bad_project = [r for r in results if r["project"]]
    bad_dcsa = [r for r in claimed if r["dcsa"]]
    print(f"{len(results)} documents; valid against schemas/one-bill.schema.json: {len(results) - len(bad_project)}")
    print(f"DCSA transport documents (no documentStandard): {len(claimed)}; "
          f"valid against DCSA eBL 3.0.4 TransportDocument: {len(claimed) - len(bad_dcsa)}")
    print(f"other documents: {len(others)} " + json.dumps(standards, sort_keys=True))
    for r in bad_project[:20]:
        print(f"{r.get('file', '-')}: project schema: {r['project'][0]}")
    for r in bad_dcsa[:20]:
        print(f"{r.get('file', '-')}: DCSA: {r['dcsa'][0]}")
    return 1 if bad_project or bad_dcsa else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
