package engine

import (
	"image"
)

// plane is one level of the exemplar fill's image pyramid: packed RGB and
// which pixels are unknown (the hole).
type plane struct {
	w, h int
	pix  []uint8 // RGB, 3 bytes per pixel, row after row
	hole []bool
}

func newPlane(w, h int) *plane {
	return &plane{w: w, h: h, pix: make([]uint8, 3*w*h), hole: make([]bool, w*h)}
}

// planeFrom copies box of img into a plane; a pixel is in the hole where
// mask is not 0.
func planeFrom(img *image.NRGBA, mask *image.Gray, box image.Rectangle) *plane {
	pl := newPlane(box.Dx(), box.Dy())
	for y := 0; y < pl.h; y++ {
		src := img.Pix[img.PixOffset(box.Min.X, box.Min.Y+y):]
		m := mask.Pix[mask.PixOffset(box.Min.X, box.Min.Y+y):]
		for x := 0; x < pl.w; x++ {
			i := y*pl.w + x
			copy(pl.pix[3*i:3*i+3], src[4*x:4*x+3])
			pl.hole[i] = m[x] != 0
		}
	}
	return pl
}

// half is the plane at half the resolution: a pixel is known only when all
// the pixels it covers are known, and takes their mean; any other is in the
// hole (its colour, the mean of the known pixels it covers, is replaced by
// the fill).
func (pl *plane) half() *plane {
	n := newPlane((pl.w+1)/2, (pl.h+1)/2)
	for y := 0; y < n.h; y++ {
		for x := 0; x < n.w; x++ {
			var sum [3]int
			known, covered := 0, 0
			for dy := 0; dy < 2; dy++ {
				for dx := 0; dx < 2; dx++ {
					sx, sy := 2*x+dx, 2*y+dy
					if sx >= pl.w || sy >= pl.h {
						continue
					}
					covered++
					i := sy*pl.w + sx
					if pl.hole[i] {
						continue
					}
					known++
					for c := 0; c < 3; c++ {
						sum[c] += int(pl.pix[3*i+c])
					}
				}
			}
			i := y*n.w + x
			n.hole[i] = known < covered
			if known > 0 {
				for c := 0; c < 3; c++ {
					n.pix[3*i+c] = uint8((sum[c] + known/2) / known)
				}
			}
		}
	}
	return n
}

// holeBounds is the bounding box of the hole, empty when there is none.
func (pl *plane) holeBounds() image.Rectangle {
	var r image.Rectangle
	for y := 0; y < pl.h; y++ {
		row := pl.hole[y*pl.w : (y+1)*pl.w]
		for x, h := range row {
			if h {
				r = r.Union(image.Rect(x, y, x+1, y+1))
			}
		}
	}
	return r
}

// dilate marks every pixel within radius (a square) of a hole pixel: the
// pixels whose patch touches the hole. It is separable: a pass along rows,
// then one along columns, each O(pixels) with a running count.
func (pl *plane) dilate(radius int) []bool {
	rows := make([]bool, pl.w*pl.h)
	for y := 0; y < pl.h; y++ {
		runningOr(pl.hole[y*pl.w:], rows[y*pl.w:], pl.w, 1, radius)
	}
	out := make([]bool, pl.w*pl.h)
	for x := 0; x < pl.w; x++ {
		runningOr(rows[x:], out[x:], pl.h, pl.w, radius)
	}
	return out
}

// runningOr sets dst[i] when any src within radius of i (n values, step
// apart) is set.
func runningOr(src, dst []bool, n, step, radius int) {
	count := 0
	for i := 0; i < min(radius, n); i++ {
		if src[i*step] {
			count++
		}
	}
	for i := 0; i < n; i++ {
		if j := i + radius; j < n && src[j*step] {
			count++
		}
		if j := i - radius - 1; j >= 0 && src[j*step] {
			count--
		}
		dst[i*step] = count > 0
	}
}
