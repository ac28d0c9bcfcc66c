#!/usr/bin/env bash
# Rebuild the vendored front-end assets in static/ from the pinned npm packages.
#
#   bash static/build/build.sh
#
# Downloads only from the npm registry (see .npmrc; install scripts disabled),
# into static/build/node_modules (git-ignored). Writes:
#   static/govuk/govuk-frontend-<ver>.min.css  (compiled from redress.scss)
#   static/govuk/govuk-frontend-<ver>.min.js   (dist ES module bundle)
#   static/govuk/LICENSE.txt
#   static/govuk/assets/...                    (only images the CSS references; currently none)
#   static/htmx/htmx-<ver>.min.js, static/htmx/LICENSE
# After a version bump, update the version in templates' <script>/<link> tags,
# the import in static/app.js, and static/README.md.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
STATIC="$(dirname "$HERE")"
cd "$HERE"

die() { echo "build.sh: $*" >&2; exit 1; }

npm ci --omit=optional --ignore-scripts --no-audit --no-fund

NM="$HERE/node_modules"
GOVUK="$NM/govuk-frontend"
ver() { node -p "require('$1/package.json').version"; }
GV="$(ver "$GOVUK")"
HV="$(ver "$NM/htmx.org")"
case "$GV" in 6.*) ;; *) die "expected govuk-frontend 6.x, got $GV" ;; esac
case "$HV" in 2.*) ;; *) die "expected htmx.org 2.x, got $HV" ;; esac
[ "$(node -p "require('$GOVUK/package.json').license")" = MIT ] || die "govuk-frontend licence changed; review"

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

# --- GOV.UK Frontend CSS -----------------------------------------------------
"$NM/.bin/sass" --no-source-map --style=compressed --load-path="$NM" \
  redress.scss "$TMP/govuk.css"
grep -q '@font-face' "$TMP/govuk.css" && die "CSS contains @font-face"
grep -q 'GDS Transport' "$TMP/govuk.css" && die "CSS mentions GDS Transport"
grep -q 'fonts/' "$TMP/govuk.css" && die "CSS references fonts/"

# Assets referenced by the CSS: must live under /static/govuk/assets/ and be
# copied from the package (never fonts).
rm -rf "$STATIC/govuk"
mkdir -p "$STATIC/govuk"
grep -o 'url([^)]*)' "$TMP/govuk.css" | sed -E 's/^url\(["'\'']?//; s/["'\'']?\)$//' | sort -u \
  > "$TMP/urls" || true
while IFS= read -r url; do
  [ -n "$url" ] || continue
  case "$url" in data:*) continue ;; esac
  case "$url" in
    /static/govuk/assets/fonts/*) die "font URL in CSS: $url" ;;
    /static/govuk/assets/*) rel="${url#/static/govuk/assets/}" ;;
    *) die "unexpected URL in CSS: $url" ;;
  esac
  src="$GOVUK/dist/govuk/assets/$rel"
  [ -f "$src" ] || die "CSS references $url but $src does not exist"
  mkdir -p "$(dirname "$STATIC/govuk/assets/$rel")"
  cp "$src" "$STATIC/govuk/assets/$rel"
  echo "asset: $url"
done < "$TMP/urls"

cp "$TMP/govuk.css" "$STATIC/govuk/govuk-frontend-$GV.min.css"

# --- GOV.UK Frontend JS (ES module bundle) -------------------------------------
# The .map is not shipped, so drop the sourceMappingURL comment.
sed -E 's#//\# sourceMappingURL=[^ ]*$##' "$GOVUK/dist/govuk/govuk-frontend.min.js" \
  > "$STATIC/govuk/govuk-frontend-$GV.min.js"
grep -q 'export{' "$STATIC/govuk/govuk-frontend-$GV.min.js" || die "govuk-frontend.min.js is not an ES module"

# The npm package ships no licence file; this is upstream's LICENSE.txt (MIT).
cp "$HERE/govuk-frontend-LICENSE.txt" "$STATIC/govuk/LICENSE.txt"

# --- htmx ----------------------------------------------------------------------
rm -rf "$STATIC/htmx"
mkdir -p "$STATIC/htmx"
cp "$NM/htmx.org/dist/htmx.min.js" "$STATIC/htmx/htmx-$HV.min.js"
cp "$NM/htmx.org/LICENSE" "$STATIC/htmx/LICENSE"

echo "Built govuk-frontend $GV, htmx $HV:"
(cd "$STATIC" && find govuk htmx -type f | sort | xargs wc -c)
