package engine

import "image"

// field is a float RGB picture being completed, the working form of the
// engine's smooth fills: each channel a plane of float32, and how known
// each pixel is. known is 1 for a known pixel (fixed: a boundary value of
// the membrane, never changed by push-pull), 0 for one to be filled, and
// in between for push-pull's coarser levels and a soft mask's edge.
type field struct {
	w, h  int
	c     [3][]float32
	known []float32
}

func newField(w, h int) *field {
	f := &field{w: w, h: h, known: make([]float32, w*h)}
	for k := range f.c {
		f.c[k] = make([]float32, w*h)
	}
	return f
}

// fixed reports whether pixel i is fully known.
func (f *field) fixed(i int) bool { return f.known[i] >= 1 }

// setFixed marks pixel i known (1) or to be filled (0).
func (f *field) setFixed(i int, fixed bool) {
	f.known[i] = 0
	if fixed {
		f.known[i] = 1
	}
}

// fieldFrom copies box of img into a field: a pixel is known where mask
// is 0, and in the hole (known 0) where it is not.
func fieldFrom(img *image.NRGBA, mask *image.Gray, box image.Rectangle) *field {
	f := newField(box.Dx(), box.Dy())
	for y := 0; y < f.h; y++ {
		src := img.Pix[img.PixOffset(box.Min.X, box.Min.Y+y):]
		m := mask.Pix[mask.PixOffset(box.Min.X, box.Min.Y+y):]
		for x := 0; x < f.w; x++ {
			i := y*f.w + x
			for k := range f.c {
				f.c[k][i] = float32(src[4*x+k])
			}
			f.setFixed(i, m[x] == 0)
		}
	}
	return f
}

// holeMask marks the pixels of f that are not fully known: its hole.
func (f *field) holeMask() []bool {
	hole := make([]bool, len(f.known))
	for i := range hole {
		hole[i] = !f.fixed(i)
	}
	return hole
}

// holeBounds is the bounding box of f's hole, empty when there is none.
func (f *field) holeBounds() image.Rectangle {
	var r image.Rectangle
	for y := 0; y < f.h; y++ {
		row := f.known[y*f.w : (y+1)*f.w]
		for x, k := range row {
			if k < 1 {
				r = r.Union(image.Rect(x, y, x+1, y+1))
			}
		}
	}
	return r
}

// dilate marks every pixel within radius (a square) of a set pixel of set
// (w×h): for a hole, the pixels whose patch touches it. It is separable: a
// pass along rows, then one along columns, each O(pixels) with a running
// count.
func dilate(set []bool, w, h, radius int) []bool { return separable(set, w, h, radius, runningOr) }

// separable applies a running filter of the given radius to v (w×h) along
// its rows, then along the columns of the result: a square window in
// O(pixels). run sets dst[i] from src within radius of i (n values, step
// apart).
func separable[T any](v []T, w, h, radius int, run func(src, dst []T, n, step, radius int)) []T {
	rows := make([]T, w*h)
	for y := 0; y < h; y++ {
		run(v[y*w:], rows[y*w:], w, 1, radius)
	}
	out := make([]T, w*h)
	for x := 0; x < w; x++ {
		run(rows[x:], out[x:], h, w, radius)
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
