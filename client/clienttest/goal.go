package clienttest

import (
	"fmt"
	"math"
	"testing"
)

// Goal reports a benchmark's stated goal as a metric and prints it once,
// in the form `make bench` collects into its summary table:
//
//	GOAL <name> <value> <unit> <op> <target> <met|MISSED>
//
// op is "<=" or ">=". (The canvas benchmarks print the same lines.)
func Goal(b *testing.B, name string, value float64, unit, op string, target float64) {
	b.Helper()
	b.ReportMetric(value, unit)
	met := value <= target
	if op == ">=" {
		met = value >= target
	}
	verdict := "met"
	if !met || math.IsNaN(value) {
		verdict = "MISSED"
	}
	fmt.Printf("GOAL %s %s %s %s %s %s\n", name, short(value), unit, op, short(target), verdict)
}

// short formats a figure with about three significant digits.
func short(v float64) string {
	switch a := math.Abs(v); {
	case a >= 100 || a == math.Trunc(a):
		return fmt.Sprintf("%.0f", v)
	case a >= 10:
		return fmt.Sprintf("%.1f", v)
	case a >= 1:
		return fmt.Sprintf("%.2f", v)
	}
	return fmt.Sprintf("%.3g", v)
}
