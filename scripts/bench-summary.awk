# bench-summary.awk: the table `make bench` ends with. It reads the
# benchmarks' output and collects every line
#
#	GOAL <name> <value> <unit> <op> <target> <met|MISSED>
#
# (clienttest.Goal and canvas's goal print them), plus failed benchmarks
# and packages. With -v expected="name ...", a goal that printed nothing is
# NOT RUN. Exits 1 when a goal is missed or not run, or anything failed.
#
#	awk -v expected="frame-24mp rss-24mp" -f scripts/bench-summary.awk bench.log

/^GOAL / && NF == 7 {
	if (!($2 in value)) order[++n] = $2
	value[$2] = $3 " " $4; target[$2] = $5 " " $6; verdict[$2] = $7
	next
}
/^[ \t]*--- FAIL: / { failed[++nfailed] = $3; next }
/^FAIL[ \t]/ { failed[++nfailed] = "package " $2; next }

END {
	bad = 0
	ne = split(expected, want, " ")
	for (i = 1; i <= ne; i++) {
		if (!(want[i] in verdict)) {
			order[++n] = want[i]; value[want[i]] = "-"; target[want[i]] = "-"; verdict[want[i]] = "NOT RUN"
		}
	}
	printf "\n%-26s %-26s %-12s %s\n", "goal", "measured", "target", "verdict"
	for (i = 1; i <= n; i++) {
		g = order[i]
		printf "%-26s %-26s %-12s %s\n", g, value[g], target[g], verdict[g]
		if (verdict[g] != "met") bad = 1
	}
	for (i = 1; i <= nfailed; i++) {
		printf "FAILED: %s\n", failed[i]
		bad = 1
	}
	if (n == 0) { print "no GOAL lines: nothing was measured"; bad = 1 }
	printf "%s\n", bad ? "bench: a goal was missed or not run, or a benchmark failed" : "bench: every goal met"
	exit bad
}
