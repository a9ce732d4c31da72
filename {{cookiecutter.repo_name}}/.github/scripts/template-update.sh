#!/usr/bin/env bash
# Merge what the template changed since the commit in .cruft.json, lock again, and write the pull request's text
# to $RUNNER_TEMP/template-update.md. Prints changed=true to $GITHUB_OUTPUT when there is something to propose.
# .github/workflows/template-update.yml runs it every week; it runs the same way in a clean local checkout.
set -euo pipefail

cd "$(dirname "$0")/../.."
out="${RUNNER_TEMP:-$(mktemp -d)}"

# The value at a path of keys in the JSON document on standard input.
json_field() {
    python3 -c '
import json, sys
value = json.load(sys.stdin)
for key in sys.argv[1:]:
    value = value[key]
print(value)' "$@"
}

since="$(git show HEAD:.cruft.json | json_field context cookiecutter _template_version)"
uvx --from cruft==2.16.0 cruft update --skip-apply-ask
if git diff --quiet -- .cruft.json; then
    echo "The project is up to date with its template."
    exit 0
fi

# Files both sides changed keep their conflict markers; the pull request names them for review.
mapfile -t conflicted < <(git diff --name-only --diff-filter=U)
git add --all
uv lock || echo "::warning::uv lock failed: resolve pyproject.toml, then run uv lock on the branch."

template="$(json_field template < .cruft.json)"
commit="$(json_field commit < .cruft.json)"
checkout="$(mktemp -d "$out/template.XXXXXX")"
git clone --quiet --no-checkout "$template" "$checkout"
git -C "$checkout" show "$commit:CHANGELOG.md" > "$out/CHANGELOG.md"
python3 .github/scripts/template_changes.py "$out/CHANGELOG.md" "$since" "${conflicted[@]}" > "$out/template-update.md"
echo "changed=true" >> "${GITHUB_OUTPUT:-/dev/null}"
echo "Wrote $out/template-update.md"
