package engine

import (
	"image"
	"math"
	"testing"
)

// toneField is an n×n field of tone(dx, dy) (the offsets from its
// centre) with a round hole of radius r in its centre, the hole's pixels
// set to a grey of 120.
func toneField(n int, r float64, tone func(dx, dy float64) float32) (*field, []bool) {
	f := newField(n, n)
	hole := make([]bool, n*n)
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			i := y*n + x
			dx, dy := float64(x-n/2)+0.5, float64(y-n/2)+0.5
			hole[i] = dx*dx+dy*dy < r*r
			v := tone(dx, dy)
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

// step is a step edge through the centre: bright (200) where (dx, dy) lies
// ahead along normal, dark (40) behind.
func step(normal [2]float64) func(dx, dy float64) float32 {
	return func(dx, dy float64) float32 {
		if dx*normal[0]+dy*normal[1] >= 0 {
			return 200
		}
		return 40
	}
}

// line is a dark line 3 px wide through the centre, across normal, on a
// bright ground.
func line(normal [2]float64) func(dx, dy float64) float32 {
	return func(dx, dy float64) float32 {
		if math.Abs(dx*normal[0]+dy*normal[1]) < 1.5 {
			return 40
		}
		return 200
	}
}

// The edge band carries edges and lines that enter the hole on through its
// first pixels, near where they enter: an upright and a sloping step edge
// (each side's tone kept up to the edge, where a membrane blurs the two
// together) and a thin sloping line (which Telea's weights alone, without
// the structure's direction, blur).
func TestEdgeBandContinuesAnEdge(t *testing.T) {
	t.Parallel()
	const n, r, depth = 64, 20.0, 6
	slope := [2]float64{math.Cos(0.5), math.Sin(0.5)}
	cases := []struct {
		name   string
		normal [2]float64
		tone   func(dx, dy float64) float32
		most   float64 // the band's mean error allowed, in levels
	}{
		{"upright edge", [2]float64{1, 0}, step([2]float64{1, 0}), 2},
		{"sloping edge", slope, step(slope), 4.5},
		{"sloping line", slope, line(slope), 12},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			orig, hole := toneField(n, r, tc.tone)
			dist := edgeBand(orig, hole, depth)
			membrane, _ := toneField(n, r, tc.tone)
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
					if dist[i] <= depth && orig.c[0][i] == 120 {
						t.Fatalf("pixel (%d,%d) at distance %.1f was left unfilled", x, y, dist[i])
					}
					// Near the way in (the line's ends in the hole).
					dx, dy := float64(x-n/2)+0.5, float64(y-n/2)+0.5
					if along := -dx*tc.normal[1] + dy*tc.normal[0]; dist[i] > 3 || math.Abs(along) < r-6 {
						continue
					}
					want := tc.tone(dx, dy)
					bandErr += math.Abs(float64(orig.c[0][i] - want))
					membraneErr += math.Abs(float64(membrane.c[0][i] - want))
					count++
				}
			}
			if count == 0 {
				t.Fatal("no pixel of the band near the way in")
			}
			bandErr /= float64(count)
			membraneErr /= float64(count)
			t.Logf("mean error near the way in over %d pixels: band %.2f, membrane %.2f levels", count, bandErr, membraneErr)
			if bandErr > tc.most || bandErr > membraneErr/1.5 {
				t.Errorf("the band's mean error near the way in is %.2f levels, want ≤ %.1f and ≤ the membrane's %.2f ÷ 1.5", bandErr, tc.most, membraneErr)
			}
		})
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
			orig, hole := toneField(n, r, step([2]float64{1, 0}))
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
			band, _ := toneField(n, r, step([2]float64{1, 0}))
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

// A small hole (which gets no copies, only the membrane) across an
// upright edge keeps the edge through it: the band applies there too.
func TestFillCarriesAnEdgeIntoASmallHole(t *testing.T) {
	t.Parallel()
	const n, edge = 40, 20
	img := image.NewNRGBA(image.Rect(0, 0, n, n))
	mask := image.NewGray(img.Rect)
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			v := uint8(40)
			if x >= edge {
				v = 200
			}
			copy(img.Pix[img.PixOffset(x, y):], []uint8{v, v, v, 255})
			if x >= edge-3 && x < edge+3 && y >= 17 && y < 23 {
				mask.Pix[mask.PixOffset(x, y)] = 255
			}
		}
	}
	if err := fill(quietTracker(), img, mask, 1, 0, 1); err != nil {
		t.Fatal(err)
	}
	for y := 17; y < 23; y++ {
		for x := edge - 3; x < edge+3; x++ {
			want := 40
			if x >= edge {
				want = 200
			}
			if got := int(img.Pix[img.PixOffset(x, y)]); abs(got-want) > 20 {
				t.Errorf("(%d,%d) is %d, want about %d: the edge is not carried through", x, y, got, want)
			}
		}
	}
}
