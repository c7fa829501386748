package engine

import (
	"image"
	"image/color"
	"testing"

	"github.com/disintegration/imaging"
)

// A strong edge that enters a hole and leaves it on the other side in line
// is carried through it: a dark stripe across a light wall stays whole, at
// any slope the edges can be matched at.
func TestFillCarriesEdgesThroughTheHole(t *testing.T) {
	t.Parallel()
	checkEdgesCarried(t)
}

// checkEdgesCarried is TestFillCarriesEdgesThroughTheHole's body, which
// TestPhotoBenchmark runs too.
func checkEdgesCarried(t *testing.T) {
	cases := []struct {
		name  string
		slope float64 // of the stripe, rows per column
	}{
		{"level", 0},
		{"sloping", 0.1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			const w, h = 160, 100
			truth := image.NewNRGBA(image.Rect(0, 0, w, h))
			stripe := func(x, y int) bool {
				c := 50 + tc.slope*float64(x-80)
				return float64(y) >= c-4 && float64(y) < c+4
			}
			for y := 0; y < h; y++ {
				for x := 0; x < w; x++ {
					// Anti-aliased, as a photograph's edges are.
					c := 50 + tc.slope*(float64(x)+0.5-80)
					cover := max(0, min(float64(y+1), c+4)-max(float64(y), c-4))
					mix := func(light, dark float64) uint8 { return uint8(light + (dark-light)*cover + 0.5) }
					truth.SetNRGBA(x, y, color.NRGBA{mix(210, 60), mix(205, 50), mix(195, 45), 255})
				}
			}
			input, mask := withObject(truth, image.Pt(80, 50), 22)
			out := imaging.Clone(input)
			if err := fill(quietTracker(), out, mask, 1, 0, 1); err != nil {
				t.Fatal(err)
			}
			// Every stripe pixel in the hole's middle third is dark.
			worst := 0.0
			for y := 0; y < h; y++ {
				for x := 66; x < 94; x++ {
					if stripe(x, y) && mask.Pix[y*mask.Stride+x] != 0 && float64(y) > 50+tc.slope*float64(x-80)-2 && float64(y) < 50+tc.slope*float64(x-80)+2 {
						worst = max(worst, lumaAt(out, x, y))
					}
				}
			}
			if worst > 120 {
				t.Errorf("the stripe's core is as light as %.0f in the hole, want ≤ 120 (the stripe is 52, the wall 205)", worst)
			}
		})
	}
}
