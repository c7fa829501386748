package engine

import (
	"image"

	"github.com/zeninpaint/studio/client/imagefile"
)

// fillHoles replaces the masked pixels of img (mask value 255 = fill, soft
// values blend) with a smooth membrane interpolated from the surrounding
// pixels, by push-pull on an image pyramid (Gortler et al., "The Lumigraph",
// 1996): known pixels are averaged down to coarser levels, then holes are
// filled from the coarse levels back up with bilinear interpolation. This is
// a fast, O(pixels) diffusion fill. It works on the mask's bounding box plus
// a margin; pixels where the mask is 0 are never written.
func fillHoles(p *tracker, img *image.NRGBA, mask *image.Gray, from, to float64) error {
	box := maskBounds(mask, 1)
	if box.Empty() {
		return nil
	}
	margin := max(16, max(box.Dx(), box.Dy())/4)
	box = box.Inset(-margin).Intersect(img.Rect)

	w, h := box.Dx(), box.Dy()
	base := newField(w, h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			i := y*w + x
			known := 1 - float32(mask.GrayAt(box.Min.X+x, box.Min.Y+y).Y)/255
			o := img.PixOffset(box.Min.X+x, box.Min.Y+y)
			base.known[i] = known
			for c := 0; c < 3; c++ {
				base.c[c][i] = float32(img.Pix[o+c])
			}
		}
	}
	if err := pushPull(base, func(f float64) error { return p.step(from + (to-from)*f) }); err != nil {
		return err
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			if mask.GrayAt(box.Min.X+x, box.Min.Y+y).Y == 0 {
				continue
			}
			i := y*w + x
			o := img.PixOffset(box.Min.X+x, box.Min.Y+y)
			for c := 0; c < 3; c++ {
				img.Pix[o+c] = clamp8(base.c[c][i])
			}
			img.Pix[o+3] = 255
		}
	}
	return nil
}

// pushPull completes base where it is not fully known: known pixels are
// averaged down to a single pixel (pull), then each level's gaps are filled
// from the level below it (push). progress gets 0..1 and may stop the work.
func pushPull(base *field, progress func(float64) error) error {
	levels := []*field{base}
	for l := base; l.w > 1 || l.h > 1; {
		l = l.pull()
		levels = append(levels, l)
	}
	if err := progress(0.3); err != nil {
		return err
	}
	for i := len(levels) - 2; i >= 0; i-- {
		levels[i].push(levels[i+1])
		if i%2 == 0 {
			if err := progress(0.3 + 0.7*float64(len(levels)-1-i)/float64(len(levels))); err != nil {
				return err
			}
		}
	}
	return nil
}

// pull averages 2×2 blocks weighted by how known each pixel is.
func (l *field) pull() *field {
	n := newField((l.w+1)/2, (l.h+1)/2)
	for y := 0; y < n.h; y++ {
		for x := 0; x < n.w; x++ {
			var sum [3]float32
			var wsum float32
			for dy := 0; dy < 2; dy++ {
				for dx := 0; dx < 2; dx++ {
					sx, sy := min(2*x+dx, l.w-1), min(2*y+dy, l.h-1)
					i := sy*l.w + sx
					wt := l.known[i]
					wsum += wt
					for c := 0; c < 3; c++ {
						sum[c] += l.c[c][i] * wt
					}
				}
			}
			i := y*n.w + x
			if wsum > 0 {
				for c := 0; c < 3; c++ {
					n.c[c][i] = sum[c] / wsum
				}
			}
			n.known[i] = min(wsum, 1)
		}
	}
	return n
}

// push blends each pixel with the bilinear upsampling of the coarser,
// already filled level, in proportion to how unknown the pixel is.
func (l *field) push(coarse *field) {
	for y := 0; y < l.h; y++ {
		fy := max((float32(y)+0.5)/2-0.5, 0)
		y0 := min(int(fy), coarse.h-1)
		y1 := min(y0+1, coarse.h-1)
		ty := fy - float32(y0)
		for x := 0; x < l.w; x++ {
			i := y*l.w + x
			wt := l.known[i]
			if wt >= 1 {
				continue
			}
			fx := max((float32(x)+0.5)/2-0.5, 0)
			x0 := min(int(fx), coarse.w-1)
			x1 := min(x0+1, coarse.w-1)
			tx := fx - float32(x0)
			for c := 0; c < 3; c++ {
				p := coarse.c[c]
				top := lerp(p[y0*coarse.w+x0], p[y0*coarse.w+x1], tx)
				bot := lerp(p[y1*coarse.w+x0], p[y1*coarse.w+x1], tx)
				l.c[c][i] = l.c[c][i]*wt + lerp(top, bot, ty)*(1-wt)
			}
			l.known[i] = 1
		}
	}
}

// maskBounds is the bounding box of mask pixels at or above threshold.
func maskBounds(mask *image.Gray, threshold uint8) image.Rectangle {
	return imagefile.Bounds(mask, threshold).Add(mask.Rect.Min)
}
