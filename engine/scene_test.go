package engine

import (
	"image"
	"image/color"
	"math"
	"testing"

	"github.com/zeninpaint/studio/client"
)

// A hemisphere on an 8-bit depth ramp: the side facing the light is the
// brighter one, and the ramp renders as a smooth gradient, without the
// contour rings that 8-bit depth steps make when lit naively.
func TestSceneLightsSurfacesWithoutRings(t *testing.T) {
	t.Parallel()
	const w, h = 240, 200
	depth := image.NewGray(image.Rect(0, 0, w, h))
	cx, cy, r := 120.0, 110.0, 45.0
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			d := 40 + 160*float64(y)/h // the floor: nearer lower down
			if q := r*r - (float64(x)-cx)*(float64(x)-cx) - (float64(y)-cy)*(float64(y)-cy); q > 0 {
				d = 215 + 40*math.Sqrt(q)/r
			}
			depth.SetGray(x, y, color.Gray{uint8(min(d, 255))})
		}
	}
	pal := newPalette(&client.Request{Prompt: "studio", Seed: 1})
	out, err := scene(quietTracker(), depth, false, pal)
	if err != nil {
		t.Fatal(err)
	}
	luma := func(x, y int) float64 {
		c := out.NRGBAAt(x, y)
		return 0.299*float64(c.R) + 0.587*float64(c.G) + 0.114*float64(c.B)
	}
	// The light comes from the left or the right, and from above.
	toward, away := int(cx-r*0.6), int(cx+r*0.6)
	if pal.light[0] > 0 {
		toward, away = away, toward
	}
	if lt, la := luma(toward, int(cy-r*0.3)), luma(away, int(cy-r*0.3)); lt < la+10 {
		t.Errorf("the sphere's lit side (%.0f) is not brighter than its far side (%.0f)", lt, la)
	}
	// Down the floor at x = 20: no ring, i.e. no sudden bump in brightness.
	worst := 0.0
	for y := 5; y < h-5; y++ {
		worst = max(worst, math.Abs(luma(20, y+1)-2*luma(20, y)+luma(20, y-1)))
	}
	if worst > 3 {
		t.Errorf("the floor's brightness bends by up to %.1f levels per pixel: contour rings", worst)
	}
}
