package segment

import (
	"image"
	"math"
	"runtime"
	"sync"
)

// refineTile is the side of the full-resolution tiles the edge is refined
// in; tiles far from the edge are filled without filtering.
const refineTile = 128

// refine brings the work grid's labels to full resolution over box: a
// bilinear upsampling, then, in the tiles the edge crosses, a guided filter
// (He et al. 2010) with the picture's luminance as the guide, which moves
// the edge onto the picture's own edges and softens it over about a work
// pixel. progress is called with the fraction of tiles done, one call at
// a time.
func refine(wk *work, fg []bool, box image.Rectangle, progress func(float64)) *softMask {
	out := &softMask{rect: box, v: make([]uint8, box.Dx()*box.Dy())}
	b := wk.box
	bw, bh := b.Dx(), b.Dy()
	label := func(x, y int) float32 {
		if x < 0 || y < 0 || x >= bw || y >= bh || !fg[y*bw+x] {
			return 0
		}
		return 1
	}
	// up is the upsampled label at a source pixel.
	up := func(X, Y int) float32 {
		u := (float64(X-wk.roi.Min.X)+0.5)*wk.sx - 0.5 - float64(b.Min.X)
		v := (float64(Y-wk.roi.Min.Y)+0.5)*wk.sy - 0.5 - float64(b.Min.Y)
		x0, y0 := int(math.Floor(u)), int(math.Floor(v))
		fx, fy := float32(u-float64(x0)), float32(v-float64(y0))
		a := label(x0, y0)*(1-fx) + label(x0+1, y0)*fx
		c := label(x0, y0+1)*(1-fx) + label(x0+1, y0+1)*fx
		return a*(1-fy) + c*fy
	}
	// uniform reports the value of a source rectangle whose work pixels
	// (and their neighbours the upsampling reads) all have one label.
	uniform := func(r image.Rectangle) (uint8, bool) {
		u0 := int(math.Floor((float64(r.Min.X-wk.roi.Min.X)+0.5)*wk.sx-0.5)) - b.Min.X
		u1 := int(math.Floor((float64(r.Max.X-1-wk.roi.Min.X)+0.5)*wk.sx-0.5)) - b.Min.X + 1
		v0 := int(math.Floor((float64(r.Min.Y-wk.roi.Min.Y)+0.5)*wk.sy-0.5)) - b.Min.Y
		v1 := int(math.Floor((float64(r.Max.Y-1-wk.roi.Min.Y)+0.5)*wk.sy-0.5)) - b.Min.Y + 1
		first := label(u0, v0)
		for v := v0; v <= v1; v++ {
			for u := u0; u <= u1; u++ {
				if label(u, v) != first {
					return 0, false
				}
			}
		}
		return uint8(first * 255), true
	}
	// The filter's radius covers the upsampling's blur: a work pixel, at
	// least two source pixels.
	r := max(2, int(math.Ceil(1/wk.sx)))
	var tiles []image.Rectangle
	for y := box.Min.Y; y < box.Max.Y; y += refineTile {
		for x := box.Min.X; x < box.Max.X; x += refineTile {
			tiles = append(tiles, image.Rect(x, y, x+refineTile, y+refineTile).Intersect(box))
		}
	}
	var mu sync.Mutex
	next := 0
	workers := min(len(tiles), max(1, runtime.GOMAXPROCS(0)))
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			f := &guided{}
			for {
				mu.Lock()
				i := next
				next++
				if step := max(1, len(tiles)/10); i%step == 0 && i < len(tiles) {
					progress(float64(i) / float64(len(tiles)))
				}
				mu.Unlock()
				if i >= len(tiles) {
					return
				}
				refineTileAt(wk.src, tiles[i], box, r, up, uniform, out, f)
			}
		})
	}
	wg.Wait()
	return out
}

// refineTileAt fills tile t of out: the upsampled labels, filtered when
// the edge passes within r pixels.
func refineTileAt(src *image.NRGBA, t, box image.Rectangle, r int, up func(x, y int) float32,
	uniform func(image.Rectangle) (uint8, bool), out *softMask, f *guided) {
	ext := t.Inset(-2 * r).Intersect(box)
	if v, ok := uniform(ext); ok {
		for y := t.Min.Y; y < t.Max.Y; y++ {
			row := out.v[(y-box.Min.Y)*box.Dx()+t.Min.X-box.Min.X:][:t.Dx()]
			for x := range row {
				row[x] = v
			}
		}
		return
	}
	w, h := ext.Dx(), ext.Dy()
	f.p = grow(f.p, w*h)
	lo, hi := float32(1), float32(0)
	for y := range h {
		for x := range w {
			v := up(ext.Min.X+x, ext.Min.Y+y)
			f.p[y*w+x] = v
			lo, hi = min(lo, v), max(hi, v)
		}
	}
	write := func(q []float32) {
		for y := t.Min.Y; y < t.Max.Y; y++ {
			row := out.v[(y-box.Min.Y)*box.Dx()+t.Min.X-box.Min.X:]
			qrow := q[(y-ext.Min.Y)*w+t.Min.X-ext.Min.X:]
			for x := range t.Dx() {
				row[x] = uint8(min(max(qrow[x], 0), 1)*255 + 0.5)
			}
		}
	}
	if hi-lo < 0.01 {
		write(f.p)
		return
	}
	f.i = grow(f.i, w*h)
	for y := range h {
		o := src.PixOffset(ext.Min.X, ext.Min.Y+y)
		for x := range w {
			px := src.Pix[o+x*4:]
			f.i[y*w+x] = (0.299*float32(px[0]) + 0.587*float32(px[1]) + 0.114*float32(px[2])) / 255
		}
	}
	write(f.filter(w, h, r, 1e-3))
}

// guided holds a guided filter's buffers, reused from tile to tile.
type guided struct {
	i, p, ip, ii, a, b, tmp []float32
}

func grow(s []float32, n int) []float32 {
	if cap(s) < n {
		return make([]float32, n)
	}
	return s[:n]
}

// filter smooths f.p guided by f.i with a (2r+1)² window and
// regularisation eps, returning the result in f.p.
func (f *guided) filter(w, h, r int, eps float32) []float32 {
	n := w * h
	f.ip, f.ii, f.a, f.b, f.tmp = grow(f.ip, n), grow(f.ii, n), grow(f.a, n), grow(f.b, n), grow(f.tmp, n)
	for k := range n {
		f.ip[k] = f.i[k] * f.p[k]
		f.ii[k] = f.i[k] * f.i[k]
	}
	meanI, meanP := f.a, f.b
	copy(meanI, f.i)
	copy(meanP, f.p)
	boxMean(meanI, f.tmp, w, h, r)
	boxMean(meanP, f.tmp, w, h, r)
	boxMean(f.ip, f.tmp, w, h, r)
	boxMean(f.ii, f.tmp, w, h, r)
	for k := range n {
		va := f.ii[k] - meanI[k]*meanI[k]
		a := (f.ip[k] - meanI[k]*meanP[k]) / (va + eps)
		f.ip[k] = a                     // a
		f.ii[k] = meanP[k] - a*meanI[k] // b
	}
	boxMean(f.ip, f.tmp, w, h, r)
	boxMean(f.ii, f.tmp, w, h, r)
	for k := range n {
		f.p[k] = min(max(f.ip[k]*f.i[k]+f.ii[k], 0), 1)
	}
	return f.p
}

// boxMean replaces v (w×h) by its mean over (2r+1)² windows clipped to the
// picture.
func boxMean(v, tmp []float32, w, h, r int) {
	for y := range h {
		row, out := v[y*w:(y+1)*w], tmp[y*w:(y+1)*w]
		var s float32
		for x := 0; x < min(r, w); x++ {
			s += row[x]
		}
		for x := range w {
			if x+r < w {
				s += row[x+r]
			}
			if x-r-1 >= 0 {
				s -= row[x-r-1]
			}
			out[x] = s / float32(min(x+r, w-1)-max(x-r, 0)+1)
		}
	}
	for x := range w {
		var s float32
		for y := 0; y < min(r, h); y++ {
			s += tmp[y*w+x]
		}
		for y := range h {
			if y+r < h {
				s += tmp[(y+r)*w+x]
			}
			if y-r-1 >= 0 {
				s -= tmp[(y-r-1)*w+x]
			}
			v[y*w+x] = s / float32(min(y+r, h-1)-max(y-r, 0)+1)
		}
	}
}
