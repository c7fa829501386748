package engine

import (
	"context"
	"image"
	"image/color"
	"math"

	"github.com/disintegration/imaging"
)

// This file holds the test images and measures of the engine's quality
// tests: a synthetic scene with a known truth behind an object, and PSNR
// and SSIM against that truth.

// brickScene is a sky gradient over a brick wall: mortar lines every 12 px,
// bricks 28 px long in alternate offset rows, two brick tones by a periodic
// rule, and a little deterministic grain. It is periodic below the horizon,
// so a fill that continues the texture can match the truth exactly.
func brickScene(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	horizon := h * 2 / 5
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var c color.NRGBA
			if y < horizon {
				t := float32(y) / float32(horizon)
				c = color.NRGBA{clamp8(lerp(120, 200, t)), clamp8(lerp(160, 220, t)), clamp8(lerp(230, 240, t)), 255}
			} else {
				row := (y - horizon) / 12
				bx := x + (row%2)*14
				c = color.NRGBA{170, 80, 60, 255}
				if (bx/28+row)%3 == 0 {
					c = color.NRGBA{140, 60, 48, 255}
				}
				if (y-horizon)%12 < 2 || bx%28 < 2 {
					c = color.NRGBA{205, 200, 190, 255} // mortar
				}
			}
			g := int(uint32(x*7919+y*104729)%7) - 3 // grain, ±3
			img.SetNRGBA(x, y, color.NRGBA{clamp8(float32(int(c.R) + g)), clamp8(float32(int(c.G) + g)), clamp8(float32(int(c.B) + g)), 255})
		}
	}
	return img
}

// withObject paints a flat disc (the object to remove) over img and returns
// the picture and a mask that covers the disc with a small margin.
func withObject(truth *image.NRGBA, centre image.Point, radius int) (*image.NRGBA, *image.Gray) {
	img := imaging.Clone(truth)
	mask := image.NewGray(truth.Rect)
	for y := 0; y < truth.Rect.Dy(); y++ {
		for x := 0; x < truth.Rect.Dx(); x++ {
			d := math.Hypot(float64(x-centre.X), float64(y-centre.Y))
			if d <= float64(radius) {
				img.SetNRGBA(x, y, color.NRGBA{40, 160, 60, 255})
			}
			if d <= float64(radius)+2 {
				mask.Pix[y*mask.Stride+x] = 255
			}
		}
	}
	return img, mask
}

func quietTracker() *tracker {
	return &tracker{ctx: context.Background(), report: func(float64) {}}
}

// psnr compares got with want over the pixels where mask is set, in dB.
func psnr(got, want *image.NRGBA, mask *image.Gray) float64 {
	var sum float64
	n := 0
	for i, m := range mask.Pix {
		if m == 0 {
			continue
		}
		for c := 0; c < 3; c++ {
			d := float64(got.Pix[4*i+c]) - float64(want.Pix[4*i+c])
			sum += d * d
		}
		n += 3
	}
	if sum == 0 {
		return math.Inf(1)
	}
	return 10 * math.Log10(255*255/(sum/float64(n)))
}

// ssim is the mean structural similarity (Wang et al., 2004) of the
// luminance of got and want in 7×7 windows centred on the pixels where mask
// is set.
func ssim(got, want *image.NRGBA, mask *image.Gray) float64 {
	const r = 3
	c1, c2 := math.Pow(0.01*255, 2), math.Pow(0.03*255, 2)
	w, h := got.Rect.Dx(), got.Rect.Dy()
	luma := func(img *image.NRGBA, x, y int) float64 {
		o := img.PixOffset(x, y)
		return 0.299*float64(img.Pix[o]) + 0.587*float64(img.Pix[o+1]) + 0.114*float64(img.Pix[o+2])
	}
	var total float64
	n := 0
	for y := r; y < h-r; y++ {
		for x := r; x < w-r; x++ {
			if mask.Pix[y*mask.Stride+x] == 0 {
				continue
			}
			var sa, sb, saa, sbb, sab float64
			for dy := -r; dy <= r; dy++ {
				for dx := -r; dx <= r; dx++ {
					a, b := luma(got, x+dx, y+dy), luma(want, x+dx, y+dy)
					sa, sb, saa, sbb, sab = sa+a, sb+b, saa+a*a, sbb+b*b, sab+a*b
				}
			}
			k := float64((2*r + 1) * (2*r + 1))
			ma, mb := sa/k, sb/k
			va, vb, cov := saa/k-ma*ma, sbb/k-mb*mb, sab/k-ma*mb
			total += (2*ma*mb + c1) * (2*cov + c2) / ((ma*ma + mb*mb + c1) * (va + vb + c2))
			n++
		}
	}
	return total / float64(n)
}
