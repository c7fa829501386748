package engine

import "testing"

// The finest octave's weight: the old energy curve where the surroundings'
// grain agrees with it, lifted where the copy is smoother than the
// surroundings, held down where it is far rougher.
func TestDetailWeight(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name           string
		e, target      float32
		atLeast, below float32
	}{
		{"texture like its surroundings", 400, 400, 1.8, 1.95},
		{"a smooth copy in grainy surroundings", 1, 20, 3, 3.01},
		{"faint copy, faint surroundings", 4, 4, 0.7, 0.75},
		{"a sharp copy in soft surroundings", 900, 10, 0.35, 0.37},
		{"no grain anywhere", 0, 0, 0, 0.01},
	}
	for _, tc := range cases {
		if got := detailWeight(tc.e, tc.target, grainLift); got < tc.atLeast || got >= tc.below {
			t.Errorf("%s: weight %.3f, want in [%.2f, %.2f)", tc.name, got, tc.atLeast, tc.below)
		}
	}
}
