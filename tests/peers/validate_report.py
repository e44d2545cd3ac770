#!/usr/bin/env python3
"""Validates an imuwb report JSON against docs/parity-report.schema.json, offline.

Implements the subset of JSON Schema the schema uses (type, const, enum, required, properties,
additionalProperties, items, anyOf, minimum, maximum, $ref to #/$defs/...), written from the
JSON Schema specification, without the jsonschema package. Exit 0 = valid; 1 = invalid (each
problem printed with its JSON path); 2 = usage error.
Usage: validate_report.py SCHEMA.json REPORT.json
"""
import json
import sys

TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
}


def resolve(root, ref):
    assert ref.startswith("#/"), ref
    node = root
    for part in ref[2:].split("/"):
        node = node[part]
    return node


def validate(root, schema, value, path, errors):
    if "$ref" in schema:
        validate(root, resolve(root, schema["$ref"]), value, path, errors)
        return
    if "anyOf" in schema:
        branches = [collect(root, s, value, path) for s in schema["anyOf"]]
        if all(branches):
            errors.append(f"{path}: matches none of anyOf; closest branch says:")
            # Prefer a branch whose type matched (its errors are deeper than this path).
            deeper = [b for b in branches if not (len(b) == 1 and b[0].startswith(path + ": "))]
            errors.extend(min(deeper or branches, key=len))
        return
    if "const" in schema and value != schema["const"]:
        errors.append(f"{path}: expected {schema['const']!r}, found {value!r}")
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{path}: {value!r} not in {schema['enum']}")
    if "type" in schema:
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(TYPES[t](value) for t in types):
            errors.append(f"{path}: expected {types}, found {type(value).__name__}")
            return
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            errors.append(f"{path}: {value} < minimum {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            errors.append(f"{path}: {value} > maximum {schema['maximum']}")
    if isinstance(value, dict):
        for key in schema.get("required", []):
            if key not in value:
                errors.append(f"{path}: missing required '{key}'")
        props = schema.get("properties", {})
        for key, item in value.items():
            if key in props:
                validate(root, props[key], item, f"{path}.{key}", errors)
            elif isinstance(schema.get("additionalProperties"), dict):
                validate(root, schema["additionalProperties"], item, f"{path}.{key}", errors)
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            validate(root, schema["items"], item, f"{path}[{i}]", errors)


def collect(root, schema, value, path):
    errors = []
    validate(root, schema, value, path, errors)
    return errors


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(sys.argv[1]) as handle:
        schema = json.load(handle)
    try:
        with open(sys.argv[2]) as handle:
            report = json.load(handle)
    except (OSError, ValueError) as error:
        print(f"{sys.argv[2]}: {error}")
        return 1
    errors = collect(schema, schema, report, "$")
    for error in errors:
        print(error)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
