package engine

import (
	"context"
	"image"
	"image/color"
	"math"
	"testing"

	"github.com/zeninpaint/studio/client/clienttest"
)

// A hole in a smooth gradient is filled close to the gradient itself, and
// nothing outside the hole is touched.
func TestFillHolesFollowsTheSurroundings(t *testing.T) {
	const w, h = 120, 80
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.SetNRGBA(x, y, color.NRGBA{uint8(2 * x), uint8(3 * y), 100, 255})
		}
	}
	truth := image.NewNRGBA(img.Rect)
	copy(truth.Pix, img.Pix)
	hole := image.Rect(40, 25, 80, 55)
	for y := hole.Min.Y; y < hole.Max.Y; y++ {
		for x := hole.Min.X; x < hole.Max.X; x++ {
			img.SetNRGBA(x, y, color.NRGBA{255, 0, 255, 255}) // garbage to be replaced
		}
	}
	mask := clienttest.Mask(w, h, hole)
	if err := fillHoles(quietTracker(), img, mask, 0, 1); err != nil {
		t.Fatal(err)
	}
	var sumErr float64
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			got, want := img.NRGBAAt(x, y), truth.NRGBAAt(x, y)
			if !image.Pt(x, y).In(hole) {
				if got != want {
					t.Fatalf("(%d,%d) outside the hole changed", x, y)
				}
				continue
			}
			sumErr += math.Abs(float64(got.R)-float64(want.R)) + math.Abs(float64(got.G)-float64(want.G)) + math.Abs(float64(got.B)-float64(want.B))
		}
	}
	meanErr := sumErr / float64(3*hole.Dx()*hole.Dy())
	if meanErr > 12 {
		t.Errorf("mean error in the hole %.1f levels, want ≤ 12", meanErr)
	}
}

func TestGenerateStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for name, req := range requests() {
		if _, err := Generate(ctx, req, 0, nil); err == nil {
			t.Errorf("%s: a cancelled job finished", name)
		}
	}
}
