#!/usr/bin/env bash
# with-burners.sh COMMAND...: runs COMMAND while two processes burn a CPU
# core each (as other work on a shared two-core machine would), stops them
# whatever happens, and prints the command's wall time.
set -uo pipefail
burners=()
for _ in 1 2; do
	( while :; do :; done ) &
	burners+=($!)
done
trap 'kill "${burners[@]}" 2>/dev/null; wait "${burners[@]}" 2>/dev/null' EXIT INT TERM
start=$(date +%s)
"$@"
status=$?
echo "with-burners: '$*' took $(( $(date +%s) - start )) s beside two CPU burners, exit $status"
exit $status
