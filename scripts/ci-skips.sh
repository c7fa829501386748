#!/usr/bin/env bash
# ci-skips.sh LOG: on CI every test must run. Lists the tests `go test -v`
# reported as skipped in LOG and fails when one is not in the allow-list
# below (a name, a tab or spaces, the reason it may skip on CI).
set -euo pipefail
log=$1

# Allowed to skip on CI, each with its reason. Every environment skip in the
# tests turns into a failure when CI is set (no display, no ImageMagick, no
# session bus, no built package...); add a line only with a reason.
allow=$(cat <<'LIST'
TestDecodePeakRSSChild	the child process of TestDecodePeakRSS: it runs only when that test starts it (and did, in its own process)
TestDropPeakRSSChild	the child process of TestDropPeakRSS: it runs only when that test starts it
TestPhotoBenchmark	the photo benchmark against OpenCV: `make quality` runs it (minutes, and python3-opencv); TestPhotoFillQuality covers the fill in `make test`
TestQualityAgainstGrabCut	the object selection against OpenCV's grabCut: `make quality` runs it (python3-opencv); the segment package's unit tests cover it in `make test`
LIST
)

skipped=$(sed -n 's/^[[:space:]]*--- SKIP: \([^ ]*\).*/\1/p' "$log" | sort -u)
echo "CI skip guard: allow-list:"
if [ -n "$allow" ]; then sed 's/^/  /' <<<"$allow"; else echo "  (empty)"; fi
if [ -z "$skipped" ]; then
	echo "CI skip guard: no test skipped"
	exit 0
fi
echo "CI skip guard: skipped tests:"
status=0
while read -r name; do
	if [ -n "$allow" ] && awk -v n="$name" '$1 == n { found = 1 } END { exit !found }' <<<"$allow"; then
		echo "  $name (allowed)"
	else
		echo "  $name: NOT ALLOWED on CI"
		status=1
	fi
done <<<"$skipped"
exit $status
