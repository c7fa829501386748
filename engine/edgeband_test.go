package engine

import (
	"math"
	"testing"
)

// stepField is an n×n field with a vertical step edge at x = edge (dark on
// the left, bright on the right) and a round hole of radius r in its
// centre, the hole's pixels set to a grey that is neither side's.
func stepField(n, edge int, r float64) (*field, []bool) {
	f := newField(n, n)
	hole := make([]bool, n*n)
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			i := y*n + x
			dx, dy := float64(x-n/2)+0.5, float64(y-n/2)+0.5
			hole[i] = dx*dx+dy*dy < r*r
			v := float32(40)
			if x >= edge {
				v = 200
			}
			if hole[i] {
				v = 120
			}
			f.setFixed(i, !hole[i])
			for k := range f.c {
				f.c[k][i] = v
			}
		}
	}
	return f, hole
}

// The edge band carries an edge that enters the hole on through its first
// pixels: near the hole's top and bottom, where the edge enters, the band
// keeps each side's tone up to the edge, where a membrane blurs the two
// together; and it reaches no deeper than asked.
func TestEdgeBandContinuesAnEdge(t *testing.T) {
	t.Parallel()
	const n, edge, r, depth = 64, 32, 20.0, 6
	orig, hole := stepField(n, edge, r)
	dist := edgeBand(orig, hole, depth)
	membrane, _ := stepField(n, edge, r)
	solveMembrane(membrane)
	var bandErr, membraneErr float64
	count := 0
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			i := y*n + x
			if !hole[i] {
				if dist[i] != 0 {
					t.Fatalf("known pixel (%d,%d) at distance %.1f, want 0", x, y, dist[i])
				}
				continue
			}
			// Near the edge's way in (the hole's top and bottom), away
			// from the edge itself by 2 px.
			if dist[i] > 3 || abs(x-edge) < 2 || abs(y-n/2) < int(r)-6 {
				continue
			}
			want := float32(40)
			if x >= edge {
				want = 200
			}
			bandErr += math.Abs(float64(orig.c[0][i] - want))
			membraneErr += math.Abs(float64(membrane.c[0][i] - want))
			count++
		}
	}
	if count == 0 {
		t.Fatal("no pixel of the band near the edge")
	}
	bandErr /= float64(count)
	membraneErr /= float64(count)
	t.Logf("mean error near the edge over %d pixels: band %.1f, membrane %.1f levels", count, bandErr, membraneErr)
	if bandErr > 10 || bandErr > membraneErr/3 {
		t.Errorf("the band's mean error near the edge is %.1f levels, want ≤ 10 and ≤ a third of the membrane's %.1f", bandErr, membraneErr)
	}
	for i, d := range dist {
		if hole[i] && d <= depth && orig.c[0][i] == 120 {
			t.Fatalf("pixel %d at distance %.1f was left unfilled", i, d)
		}
	}
}

// continueEdges replaces a fill's smooth part near the hole's edge by the
// band, fading to nothing at edgeDepth, keeps the grain whole, and leaves a
// fill whose copies are trusted whole as it is.
func TestContinueEdges(t *testing.T) {
	t.Parallel()
	const n, edge, r = 96, 48, 40.0
	cases := []struct {
		name    string
		trusted float32
		changed bool
	}{
		{"copies distrusted", 0, true},
		{"copies trusted whole", 1, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			orig, hole := stepField(n, edge, r)
			fill := newField(n, n)
			grain := newField(n, n)
			for i := range hole {
				for k := range fill.c {
					fill.c[k][i] = 120
					if hole[i] {
						grain.c[k][i] = float32(3 * (1 - 2*(i%2)))
						fill.c[k][i] += grain.c[k][i]
					}
				}
			}
			band, _ := stepField(n, edge, r)
			dist := edgeBand(band, hole, edgeDepth)
			continueEdges(fill, orig, hole, grain, tc.trusted)
			for i, hl := range hole {
				if !hl {
					continue
				}
				// The grain is kept whole: the smooth part is the
				// fill's 120 faded into the band's colour.
				smooth := fill.c[0][i] - grain.c[0][i]
				weight := float32(0)
				if tc.changed && dist[i] <= edgeDepth {
					weight = min(1, 1-(dist[i]-1)/edgeDepth)
				}
				if want := 120 + weight*(band.c[0][i]-120); math.Abs(float64(smooth-want)) > 0.01 {
					t.Fatalf("pixel (%d,%d) at %.1f px from the edge: smooth part %.2f, want %.2f (band %.1f, weight %.2f)",
						i%n, i/n, dist[i], smooth, want, band.c[0][i], weight)
				}
				if weight > 0.99 && abs(i%n-edge) > 3 {
					want := float32(40)
					if i%n >= edge {
						want = 200
					}
					if math.Abs(float64(smooth-want)) > 25 {
						t.Fatalf("(%d,%d) on the hole's edge: smooth part %.1f, want near the side's %.0f", i%n, i/n, smooth, want)
					}
				}
			}
		})
	}
}

func abs(v int) int { return max(v, -v) }
