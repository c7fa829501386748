package engine

import (
	"bytes"
	"image"
	"image/color"
	"math"
	"testing"

	"github.com/disintegration/imaging"
)

func TestOklabRoundTrip(t *testing.T) {
	for _, c := range [][3]uint8{{0, 0, 0}, {255, 255, 255}, {255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {128, 64, 32}, {17, 200, 140}} {
		var back [3]uint8
		fromOklab(toOklab(c[:]), back[:])
		for i := range c {
			if d := int(back[i]) - int(c[i]); d < -1 || d > 1 {
				t.Errorf("%v came back as %v", c, back)
				break
			}
		}
	}
}

// A cold subject on a warm scene moves part of the way toward the scene's
// colours, never all the way; its alpha and its transparent pixels are left
// exactly as they were.
func TestHarmonizeMovesPartOfTheWay(t *testing.T) {
	const w, h = 64, 48
	cases := []struct {
		name         string
		subject, bg  color.NRGBA
		minPart, max float64 // the fraction of the Oklab distance closed
	}{
		{"cold on warm", color.NRGBA{60, 90, 200, 255}, color.NRGBA{210, 150, 90, 255}, 0.25, 0.5},
		{"dark on light", color.NRGBA{40, 40, 40, 255}, color.NRGBA{220, 220, 215, 255}, 0.2, 0.5},
		{"alike", color.NRGBA{120, 130, 140, 255}, color.NRGBA{120, 130, 140, 255}, 0, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			bg := imaging.New(w, h, tc.bg)
			layer := image.NewNRGBA(bg.Rect)
			for y := 10; y < 40; y++ {
				for x := 20; x < 44; x++ {
					c := tc.subject
					c.R += uint8(x % 5) // some texture, so it has a spread
					c.A = uint8(255 - (x-20)*4)
					layer.SetNRGBA(x, y, c)
				}
			}
			before := imaging.Clone(layer)
			around := image.NewGray(bg.Rect)
			for i := range around.Pix {
				around.Pix[i] = 255
			}
			harmonize(layer, bg, around)
			for i := 0; i < len(layer.Pix); i += 4 {
				if layer.Pix[i+3] != before.Pix[i+3] {
					t.Fatal("alpha changed")
				}
				if before.Pix[i+3] == 0 && !bytes.Equal(layer.Pix[i:i+4], before.Pix[i:i+4]) {
					t.Fatal("a transparent pixel changed")
				}
			}
			target := toOklab([]uint8{tc.bg.R, tc.bg.G, tc.bg.B})
			d0, d1 := labDistance(meanLab(before), target), labDistance(meanLab(layer), target)
			part := 0.0
			if d0 > 0.01 {
				part = 1 - d1/d0
			}
			t.Logf("distance %.3f → %.3f (closed %.0f %%)", d0, d1, 100*part)
			if part < tc.minPart-0.01 || part > tc.max+0.01 {
				t.Errorf("closed %.2f of the distance, want %.2f..%.2f", part, tc.minPart, tc.max)
			}
		})
	}
}

func meanLab(img *image.NRGBA) [3]float64 {
	var s labStats
	for i := 0; i < len(img.Pix); i += 4 {
		if img.Pix[i+3] > 128 {
			s.add(toOklab(img.Pix[i : i+3]))
		}
	}
	m, _ := s.meanStd()
	return m
}

func labDistance(a, b [3]float64) float64 {
	return math.Sqrt((a[0]-b[0])*(a[0]-b[0]) + (a[1]-b[1])*(a[1]-b[1]) + (a[2]-b[2])*(a[2]-b[2]))
}
