#!/usr/bin/python3
"""tests/schema-validate.py SCHEMA_DIR LIST: validate JSON answers.

LIST has one line per answer: SCHEMA-NAME <tab> FILE <tab> LABEL. An answer
that is an object with an "error" key is checked against error.json, and
when it holds more (a command that failed part-way keeps what it had done
beside the error) that rest against SCHEMA-NAME.json too; any other answer
against SCHEMA-NAME.json. Prints "PASS LABEL" or "FAIL LABEL: why" per
line.
"""
import json
import os
import sys

import jsonschema


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def main():
    sdir, listfile = sys.argv[1], sys.argv[2]
    validators = {}

    def validator(name):
        if name not in validators:
            path = os.path.join(sdir, name + ".json")
            if not os.path.exists(path):
                validators[name] = None
            else:
                schema = load(path)
                cls = jsonschema.validators.validator_for(schema)
                cls.check_schema(schema)
                validators[name] = cls(schema)
        return validators[name]

    with open(listfile, encoding="utf-8") as f:
        for line in f:
            name, path, label = line.rstrip("\n").split("\t", 2)
            label = f"{name}: {label}"
            try:
                doc = load(path)
            except (OSError, ValueError) as e:
                print(f"FAIL {label}: not JSON: {e}")
                continue
            checks = [(name, doc)]
            if isinstance(doc, dict) and "error" in doc:
                rest = {k: x for k, x in doc.items()
                        if k not in ("error", "errno")}
                checks = [("error", doc)] + ([(name, rest)] if rest else [])
            errs, use = [], name
            for use, part in checks:
                v = validator(use)
                if v is None:
                    break
                errs = sorted(v.iter_errors(part), key=lambda e: list(e.path))
                if errs:
                    break
            if v is None:
                print(f"FAIL {label}: no schema docs/schema/{use}.json")
                continue
            if errs:
                e = errs[0]
                where = "/".join(str(p) for p in e.absolute_path) or "(top)"
                more = f" (+{len(errs) - 1} more)" if len(errs) > 1 else ""
                print(f"FAIL {label}: {use}.json at {where}: {e.message[:300]}{more}")
            else:
                print(f"PASS {label}")


if __name__ == "__main__":
    main()
