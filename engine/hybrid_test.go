package engine

import (
	"image"
	"math"
	"testing"
)

// The membrane of a linear ramp is the ramp itself (it is harmonic), so
// the solver must rebuild it inside a hole, to a fraction of a level.
func TestSolveMembraneRebuildsARamp(t *testing.T) {
	t.Parallel()
	const w, h = 97, 71
	f := newField(w, h)
	ramp := func(x, y int) float32 { return 20 + 1.5*float32(x) + 0.8*float32(y) }
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			i := y*w + x
			f.setFixed(i, math.Hypot(float64(x-50), float64(y-35)) > 28)
			for k := range f.c {
				if f.fixed(i) {
					f.c[k][i] = ramp(x, y) + float32(k)
				}
			}
		}
	}
	solveMembrane(f)
	worst := 0.0
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			for k := range f.c {
				worst = max(worst, math.Abs(float64(f.c[k][y*w+x]-ramp(x, y)-float32(k))))
			}
		}
	}
	if worst > 0.5 {
		t.Errorf("the membrane is %.2f levels off the ramp, want ≤ 0.5", worst)
	}
}

// Holes close together are filled as one cluster, a far one on its own,
// the largest first.
func TestClusterHolesGroupsNearbyHoles(t *testing.T) {
	t.Parallel()
	mask := image.NewGray(image.Rect(0, 0, 300, 200))
	disc := func(cx, cy, r int) {
		for y := cy - r; y <= cy+r; y++ {
			for x := cx - r; x <= cx+r; x++ {
				if (x-cx)*(x-cx)+(y-cy)*(y-cy) <= r*r {
					mask.Pix[y*mask.Stride+x] = 255
				}
			}
		}
	}
	disc(40, 50, 10)  // these two are 8 px apart:
	disc(68, 50, 10)  // one cluster
	disc(240, 150, 5) // far away: a cluster of its own
	_, clusters := clusterHoles(mask, maskBounds(mask, 1), clusterJoin)
	if len(clusters) != 2 {
		t.Fatalf("%d clusters, want 2", len(clusters))
	}
	if len(clusters[0].parts) != 2 || !clusters[0].box.Eq(image.Rect(30, 40, 79, 61)) {
		t.Errorf("first cluster %v with %d parts, want the two near discs in (30,40)-(79,61)", clusters[0].box, len(clusters[0].parts))
	}
	if len(clusters[1].parts) != 1 || clusters[1].area >= clusters[0].area {
		t.Errorf("second cluster %+v, want the small far disc", clusters[1])
	}
}
