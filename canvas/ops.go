package canvas

import (
	"image"
	"image/draw"
	"math"

	"github.com/disintegration/imaging"
)

// change runs fn on a copy of the mask as an image and stores the result as
// one undo step; it reports whether anything changed.
func (m *Mask) change(fn func(g *image.Gray)) bool {
	if m.stroke != nil {
		m.EndStroke()
	}
	g := m.Gray()
	fn(g)
	m.begin()
	m.setGray(g)
	return m.commit()
}

// Invert swaps painted and kept areas.
func (m *Mask) Invert() bool {
	return m.change(func(g *image.Gray) {
		for i, v := range g.Pix {
			g.Pix[i] = 255 - v
		}
	})
}

// Clear empties the mask.
func (m *Mask) Clear() bool { return m.change(func(g *image.Gray) { clear(g.Pix) }) }

// Fill marks the whole image for painting.
func (m *Mask) Fill() bool {
	return m.change(func(g *image.Gray) {
		for i := range g.Pix {
			g.Pix[i] = 255
		}
	})
}

// FromAlpha makes the mask from a subject's transparency, resized to the
// mask when sizes differ: transparent pixels become "paint" and opaque ones
// "keep", or the reverse when opaqueIsPaint is true.
func (m *Mask) FromAlpha(subject image.Image, opaqueIsPaint bool) bool {
	alpha := image.NewAlpha(image.Rect(0, 0, subject.Bounds().Dx(), subject.Bounds().Dy()))
	draw.Draw(alpha, alpha.Rect, subject, subject.Bounds().Min, draw.Src)
	var src image.Image = alpha
	if alpha.Rect.Size() != m.Size() {
		src = imaging.Resize(alpha, m.w, m.h, imaging.Linear)
	}
	return m.change(func(g *image.Gray) {
		a := image.NewAlpha(g.Rect)
		draw.Draw(a, a.Rect, src, src.Bounds().Min, draw.Src)
		for i, v := range a.Pix {
			if opaqueIsPaint {
				g.Pix[i] = v
			} else {
				g.Pix[i] = 255 - v
			}
		}
	})
}

// Import replaces the mask with img's luminance, resized to the mask when
// the sizes differ; it reports whether it had to resize.
func (m *Mask) Import(img image.Image) (resized bool) {
	var src image.Image = img
	if img.Bounds().Size() != m.Size() {
		src = imaging.Resize(img, m.w, m.h, imaging.Linear)
		resized = true
	}
	m.change(func(g *image.Gray) {
		draw.Draw(g, g.Rect, src, src.Bounds().Min, draw.Src)
	})
	return resized
}

// Grow paints every pixel within n pixels of a painted one (value ≥ 128).
func (m *Mask) Grow(n int) bool {
	if n <= 0 {
		return false
	}
	return m.change(func(g *image.Gray) {
		area := m.Bounds().Inset(-n).Intersect(g.Rect)
		d := distanceTo(g, area, func(v uint8) bool { return v >= 128 })
		limit := float32(n * n)
		forEach(area, func(i, x, y int) {
			if d[i] <= limit {
				g.Pix[g.PixOffset(x, y)] = 255
			}
		})
	})
}

// Shrink clears every pixel within n pixels of a kept one (value < 128);
// the image border counts as kept.
func (m *Mask) Shrink(n int) bool {
	if n <= 0 {
		return false
	}
	return m.change(func(g *image.Gray) {
		area := m.Bounds().Intersect(g.Rect)
		if area.Empty() {
			return
		}
		// One pixel of border around the area so its edge counts as kept.
		outer := area.Inset(-1)
		d := distanceTo(g, outer, func(v uint8) bool { return v < 128 })
		limit := float32(n * n)
		forEach(outer, func(i, x, y int) {
			if d[i] <= limit && image.Pt(x, y).In(g.Rect) {
				g.Pix[g.PixOffset(x, y)] = 0
			}
		})
	})
}

// Feather softens the mask's edge with a Gaussian blur of about n pixels.
func (m *Mask) Feather(n int) bool {
	if n <= 0 {
		return false
	}
	return m.change(func(g *image.Gray) {
		area := m.Bounds().Inset(-2 * n).Intersect(g.Rect)
		if area.Empty() {
			return
		}
		blurred := imaging.Blur(g.SubImage(area), float64(n)/2)
		forEach(area, func(i, x, y int) {
			g.Pix[g.PixOffset(x, y)] = blurred.Pix[4*i]
		})
	})
}

// forEach calls fn for each pixel of r with its index in an r-sized array.
func forEach(r image.Rectangle, fn func(i, x, y int)) {
	i := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			fn(i, x, y)
			i++
		}
	}
}

// distanceTo returns, for each pixel of area, the squared Euclidean
// distance to the nearest pixel of area (outside g counts as not set) for
// which set is true, by the exact separable transform of Felzenszwalb and
// Huttenlocher, "Distance Transforms of Sampled Functions" (2012).
func distanceTo(g *image.Gray, area image.Rectangle, set func(uint8) bool) []float32 {
	w, h := area.Dx(), area.Dy()
	const inf = float32(1e20)
	d := make([]float32, w*h)
	forEach(area, func(i, x, y int) {
		if image.Pt(x, y).In(g.Rect) && set(g.Pix[g.PixOffset(x, y)]) {
			d[i] = 0
		} else {
			d[i] = inf
		}
	})
	n := max(w, h)
	f, out := make([]float32, n), make([]float32, n)
	v, z := make([]int, n), make([]float64, n+1)
	for x := 0; x < w; x++ { // columns
		for y := 0; y < h; y++ {
			f[y] = d[y*w+x]
		}
		edt1D(f[:h], out[:h], v, z)
		for y := 0; y < h; y++ {
			d[y*w+x] = out[y]
		}
	}
	for y := 0; y < h; y++ { // rows
		copy(f[:w], d[y*w:(y+1)*w])
		edt1D(f[:w], d[y*w:(y+1)*w], v, z)
	}
	return d
}

// edt1D is the lower envelope of parabolas rooted at each f[q]; v and z
// are scratch space of len(f) and len(f)+1.
func edt1D(f, out []float32, v []int, z []float64) {
	n := len(f)
	parabola := func(q int) float64 { return float64(f[q]) + float64(q)*float64(q) }
	k := 0
	v[0], z[0], z[1] = 0, math.Inf(-1), math.Inf(1)
	for q := 1; q < n; q++ {
		s := (parabola(q) - parabola(v[k])) / float64(2*q-2*v[k])
		for s <= z[k] {
			k--
			s = (parabola(q) - parabola(v[k])) / float64(2*q-2*v[k])
		}
		k++
		v[k], z[k], z[k+1] = q, s, math.Inf(1)
	}
	k = 0
	for q := 0; q < n; q++ {
		for z[k+1] < float64(q) {
			k++
		}
		dq := float32(q - v[k])
		out[q] = dq*dq + f[v[k]]
	}
}
