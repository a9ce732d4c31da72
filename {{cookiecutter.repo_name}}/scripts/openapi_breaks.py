"""Refuse a change of openapi.json that breaks generated clients; `make openapi-breaks BASE=origin/main` runs it.

The committed openapi.json is compared with its version at a git commit (`--base`) or in a file (`--old`).
A change breaks clients when it
- removes an operation, a parameter, a field of a body or an answer, or a value of an enum;
- adds a required parameter or a required field of a body, or makes a parameter required;
- narrows a type: changes a field's type, tightens a limit on what clients send (length, range, items, a
  pattern, no longer null), or lets an answer leave out or null a field it always sent.

A break is intended when `info.version` (SERVICE_VERSION in src/config.py) raises its major number, or its
minor number before 1.0: the breaks are then listed and the check passes.
"""

import argparse
import json
import subprocess
import sys
from pathlib import Path

DOCUMENT = Path(__file__).resolve().parent.parent / "openapi.json"
METHODS = ("get", "put", "post", "patch", "delete")
# What git calls "no commit", e.g. the `before` of a push that created the branch.
NO_COMMIT = "0" * 40
# Limits on what clients send: a tighter one refuses what was accepted. (name, True when a lower value is tighter)
LIMITS = (("maxLength", True), ("maximum", True), ("maxItems", True), ("minLength", False), ("minimum", False))


class Comparison:
    def __init__(self, old: dict, new: dict) -> None:
        self.old, self.new = old, new
        self.breaks: list[str] = []

    def resolved(self, document: dict, schema: dict) -> dict:
        while "$ref" in schema or len(schema.get("allOf", ())) == 1:
            if "$ref" in schema:
                section, name = schema["$ref"].split("/")[-2:]
                schema = document["components"][section][name]
            else:
                schema = {**schema["allOf"][0], **{key: value for key, value in schema.items() if key != "allOf"}}
        return schema

    def operations(self) -> None:
        for path, item in self.old["paths"].items():
            for method in METHODS:
                if method not in item:
                    continue
                where = f"{method.upper()} {path}"
                new_item = self.new["paths"].get(path, {})
                if method not in new_item:
                    self.breaks.append(f"{where}: the operation is removed")
                    continue
                self.operation(where, item, new_item, method)

    def operation(self, where: str, item: dict, new_item: dict, method: str) -> None:
        old_parameters = self.parameters(self.old, item, method)
        new_parameters = self.parameters(self.new, new_item, method)
        for key, parameter in old_parameters.items():
            if key not in new_parameters:
                self.breaks.append(f"{where}: the {key[0]} parameter {key[1]} is removed")
            elif new_parameters[key].get("required") and not parameter.get("required"):
                self.breaks.append(f"{where}: the {key[0]} parameter {key[1]} is now required")
            else:
                self.schema(f"{where} {key[0]} {key[1]}", parameter["schema"], new_parameters[key]["schema"], True)
        for key, parameter in new_parameters.items():
            if key not in old_parameters and parameter.get("required"):
                self.breaks.append(f"{where}: the {key[0]} parameter {key[1]} is new and required")
        old_body, new_body = self.body(self.old, item[method]), self.body(self.new, new_item[method])
        if old_body is not None and new_body is not None:
            self.schema(f"{where} body", old_body, new_body, True)
        elif new_body is not None and self.resolved(self.new, new_item[method]["requestBody"]).get("required"):
            self.breaks.append(f"{where}: a body is now required")
        for status, response in item[method]["responses"].items():
            old_answer = self.answer(self.old, response)
            new_response = new_item[method]["responses"].get(status)
            if old_answer is not None and new_response is not None:
                new_answer = self.answer(self.new, new_response)
                if new_answer is None:
                    self.breaks.append(f"{where} {status}: the answer has no JSON body any more")
                else:
                    self.schema(f"{where} {status}", old_answer, new_answer, False)

    def parameters(self, document: dict, item: dict, method: str) -> dict:
        listed = (*item.get("parameters", ()), *item[method].get("parameters", ()))
        return {(each["in"], each["name"]): each for each in (self.resolved(document, one) for one in listed)}

    def body(self, document: dict, operation: dict) -> dict | None:
        body = self.resolved(document, operation.get("requestBody", {}))
        return body.get("content", {}).get("application/json", {}).get("schema")

    def answer(self, document: dict, response: dict) -> dict | None:
        return self.resolved(document, response).get("content", {}).get("application/json", {}).get("schema")

    def schema(self, where: str, old: dict, new: dict, sent: bool, depth: int = 0) -> None:
        """Breaks between two schemas of a value that clients send (`sent`) or receive."""
        old, new = self.resolved(self.old, old), self.resolved(self.new, new)
        if depth > 20:
            return
        if old.get("type") != new.get("type"):
            self.breaks.append(f"{where}: the type changes from {old.get('type')} to {new.get('type')}")
            return
        removed = [value for value in old.get("enum", ()) if value not in new.get("enum", old["enum"])]
        if removed:
            self.breaks.append(f"{where}: the values {removed} are removed")
        if sent:
            self.tighter_limits(where, old, new)
        elif new.get("nullable") and not old.get("nullable"):
            self.breaks.append(f"{where}: the answer may now be null")
        old_fields, new_fields = old.get("properties", {}), new.get("properties", {})
        old_required, new_required = set(old.get("required", ())), set(new.get("required", ()))
        # A read-only field never travels in a body, nor a write-only one in an answer.
        unseen = "readOnly" if sent else "writeOnly"
        for name, field in old_fields.items():
            if self.resolved(self.old, field).get(unseen):
                continue
            if name not in new_fields:
                self.breaks.append(f"{where}: the field {name} is removed")
            else:
                self.schema(f"{where}.{name}", field, new_fields[name], sent, depth + 1)
        for name in sorted(new_required - old_required if sent else old_required - new_required):
            self.breaks.append(f"{where}: the field {name} is {'now required' if sent else 'no longer always sent'}")
        for part in ("items", "additionalProperties"):
            if isinstance(old.get(part), dict) and isinstance(new.get(part), dict):
                self.schema(f"{where}[]", old[part], new[part], sent, depth + 1)

    def tighter_limits(self, where: str, old: dict, new: dict) -> None:
        for limit, lower_is_tighter in LIMITS:
            before, after = old.get(limit), new.get(limit)
            if after is not None and (before is None or (after < before if lower_is_tighter else after > before)):
                self.breaks.append(f"{where}: {limit} tightens from {before} to {after}")
        if new.get("pattern") not in (None, old.get("pattern")):
            self.breaks.append(f"{where}: the pattern changes to {new['pattern']}")
        if old.get("nullable") and not new.get("nullable"):
            self.breaks.append(f"{where}: null is no longer accepted")


def intended(old_version: str, new_version: str) -> bool:
    """Whether the version rises its major number (its minor before 1.0), as a break calls for."""
    old, new = (
        [int(part) for part in version.split(".")[:2] if part.isdigit()] for version in (old_version, new_version)
    )
    if len(old) < 2 or len(new) < 2:
        return False
    return new[0] > old[0] or (old[0] == new[0] == 0 and new[1] > old[1])


def breaks(old: dict, new: dict) -> list[str]:
    comparison = Comparison(old, new)
    comparison.operations()
    return comparison.breaks


def base_document(base: str) -> dict | None:
    """openapi.json at git commit `base`, or None when there is none to compare with."""
    if base == NO_COMMIT:
        return None
    shown = subprocess.run(["git", "show", f"{base}:openapi.json"], cwd=DOCUMENT.parent, capture_output=True, text=True)
    return json.loads(shown.stdout) if shown.returncode == 0 else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    compared = parser.add_mutually_exclusive_group(required=True)
    compared.add_argument("--base", help="git commit whose openapi.json to compare with, e.g. origin/main")
    compared.add_argument("--old", type=Path, help="an earlier openapi.json to compare with")
    parser.add_argument("--new", type=Path, default=DOCUMENT, help="the changed document (default: openapi.json)")
    arguments = parser.parse_args()
    old = json.loads(arguments.old.read_text()) if arguments.old else base_document(arguments.base)
    new = json.loads(arguments.new.read_text())
    if old is None:
        print("No earlier openapi.json to compare with.")
        return 0
    found = breaks(old, new)
    for line in found:
        print(f"Breaks clients: {line}")
    if found and intended(old["info"]["version"], new["info"]["version"]):
        print(f"Intended: the version rises from {old['info']['version']} to {new['info']['version']}.")
        return 0
    if found:
        print(
            "Keep the old shape beside the new, or mark the break as intended: raise the major version (the minor"
            " before 1.0) in SERVICE_VERSION, src/config.py, and refresh openapi.json.",
            file=sys.stderr,
        )
        return 1
    print("No change breaks clients.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
