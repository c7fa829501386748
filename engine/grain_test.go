package engine

import (
	"math"
	"testing"
)

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

// The texture floor and ceiling on a checkerboard grain (whose Laplacian's
// spread is proportional to its amplitude): a fill whose finest octave is
// rougher than maxTextureShare of its surroundings' is weakened to it,
// one smoother than minTextureShare strengthened to it, one in between
// left alone, and a base already too rough gets no octave at all; the
// share of the copies trusted (cross-validated) is never weakened.
func TestTextureFloorAndCeiling(t *testing.T) {
	t.Parallel()
	const n, a = 40, 10.0 // the field's side; the surroundings' amplitude
	cases := []struct {
		name        string
		base, fine  float64 // amplitudes in the hole
		trusted     float32 // the copies' trusted share
		floor, ceil float64 // the factors wanted
	}{
		{"as rough as its surroundings", 0, a, 0, 1, maxTextureShare},
		{"as rough, copies half trusted", 0, a, 0.5, 1, (maxTextureShare - 0.5) / 0.5},
		{"as rough, copies trusted", 0, a, 1, 1, 1},
		{"in between", 0, 0.65 * a, 0, 1, 1},
		{"too smooth", 0, 0.3 * a, 0, minTextureShare / 0.3, 1},
		{"a base already rough", a, 0.1 * a, 0, 1, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			orig, base, fine := newField(n, n), newField(n, n), newField(n, n)
			hole := make([]bool, n*n)
			g := make([]float32, n*n)
			for y := 0; y < n; y++ {
				for x := 0; x < n; x++ {
					i := y*n + x
					s := float32(1 - 2*((x+y)%2))
					hole[i] = x >= 10 && x < 30 && y >= 10 && y < 30
					g[i] = 1
					for k := range orig.c {
						orig.c[k][i] = 128 + s*a
						if hole[i] {
							base.c[k][i] = 128 + s*float32(tc.base)
							fine.c[k][i] = s * float32(tc.fine)
						} else {
							base.c[k][i] = orig.c[k][i]
						}
					}
				}
			}
			if got := 1 + floorTexture(base, fine, g, g, borderTexture(orig, hole), hole); math.Abs(float64(got)-tc.floor) > 0.02 {
				t.Errorf("floor %.3f, want %.3f", got, tc.floor)
			}
			if got := ceilTexture(base, fine, g, tc.trusted, borderTexture(orig, hole), hole); math.Abs(float64(got)-tc.ceil) > 0.02 {
				t.Errorf("ceiling %.3f, want %.3f", got, tc.ceil)
			}
		})
	}
}

// borderTexture predicts a hole's texture from its own edge: a grain all
// around is predicted whole, one around half of the edge about half, and
// one that lies only in the corners of the box, farther from the hole than
// the local averaging reaches, not at all (the spread over the whole box,
// which the floor and ceiling took before, counted it).
func TestBorderTexture(t *testing.T) {
	t.Parallel()
	const n, r, a = 64, 14, 10.0 // the field's side, the hole's radius, the grain's amplitude
	whole := 64 * a * a          // a checkerboard's Laplacian: ±8a
	cases := []struct {
		name     string
		rough    func(x, y int) bool
		min, max float64 // as shares of whole
	}{
		{"grain all around", func(x, y int) bool { return true }, 0.95, 1.05},
		{"grain on the left half", func(x, y int) bool { return x < n/2 }, 0.35, 0.65},
		{"grain only in the corners", func(x, y int) bool {
			dx, dy := float64(x-n/2), float64(y-n/2)
			return dx*dx+dy*dy > (r+12)*(r+12)
		}, 0, 0.02},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			orig := newField(n, n)
			hole := make([]bool, n*n)
			for y := 0; y < n; y++ {
				for x := 0; x < n; x++ {
					i := y*n + x
					dx, dy := float64(x-n/2), float64(y-n/2)
					hole[i] = dx*dx+dy*dy < r*r
					v := float32(128)
					if tc.rough(x, y) {
						v += a * float32(1-2*((x+y)%2))
					}
					for k := range orig.c {
						orig.c[k][i] = v
					}
				}
			}
			got := borderTexture(orig, hole) / whole
			if got < tc.min || got > tc.max {
				t.Errorf("predicted %.3f of the grain's texture, want %.2f–%.2f", got, tc.min, tc.max)
			}
		})
	}
}

// binomialBlur2 and binomialBlur4 are binomialBlur twice and four times
// over, away from the edges.
func TestBinomialBlurs(t *testing.T) {
	t.Parallel()
	const w, h = 23, 17
	v := make([]float32, w*h)
	for i := range v {
		v[i] = float32((i*7919)%251) / 3
	}
	for _, tc := range []struct {
		times int
		blur  func([]float32, int, int) []float32
	}{{2, binomialBlur2}, {4, binomialBlur4}} {
		want := v
		for range tc.times {
			want = binomialBlur(want, w, h)
		}
		got := tc.blur(v, w, h)
		for y := tc.times; y < h-tc.times; y++ {
			for x := tc.times; x < w-tc.times; x++ {
				if i := y*w + x; math.Abs(float64(got[i]-want[i])) > 1e-3 {
					t.Fatalf("%d times, (%d,%d): %.4f, want %.4f", tc.times, x, y, got[i], want[i])
				}
			}
		}
	}
}

// The floor's grain can go to some pixels only (more, where the
// surroundings are rougher): it then adds more there, so that the hole's
// texture still reaches minTextureShare of the prediction.
func TestTextureFloorWhereTheGrainGoes(t *testing.T) {
	t.Parallel()
	const n, a = 40, 10.0
	orig, base, fine := newField(n, n), newField(n, n), newField(n, n)
	hole := make([]bool, n*n)
	g, uniform, left := make([]float32, n*n), make([]float32, n*n), make([]float32, n*n)
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			i := y*n + x
			s := float32(1 - 2*((x+y)%2))
			hole[i] = x >= 10 && x < 30 && y >= 10 && y < 30
			g[i], uniform[i] = 1, 1
			if x < 20 {
				left[i] = 1
			}
			for k := range orig.c {
				orig.c[k][i] = 128 + s*a
				base.c[k][i] = orig.c[k][i]
				if hole[i] {
					base.c[k][i] = 128
					fine.c[k][i] = s * 0.3 * a
				}
			}
		}
	}
	border := borderTexture(orig, hole)
	target := minTextureShare * minTextureShare * border
	everywhere := floorTexture(base, fine, g, uniform, border, hole)
	for _, tc := range []struct {
		name string
		more []float32
	}{{"everywhere", uniform}, {"on the left half", left}} {
		lift := floorTexture(base, fine, g, tc.more, border, hole)
		st := textureStats(base, fine, func(j int) float32 { return g[j] + lift*tc.more[j] }, func(int) float32 { return 0 }, hole)
		if math.Abs(st.x/target-1) > 0.02 {
			t.Errorf("%s: lifted by %.2f, the texture is %.3f of the floor, want 1", tc.name, lift, st.x/target)
		}
		if tc.name != "everywhere" && lift <= everywhere {
			t.Errorf("%s: lifted by %.2f, want more than %.2f, the lift when the grain goes everywhere", tc.name, lift, everywhere)
		}
	}
}
