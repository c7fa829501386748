package segment

import (
	"image"
	"math"
	"slices"
)

// SubjectBox guesses the box around the picture's main object: the pixels
// whose colours the picture's border (taken for the backdrop) explains
// worst, weighted towards the centre, bounded with a little margin. When
// nothing stands out it returns a centred box of 80 % of each side.
func SubjectBox(img image.Image) image.Rectangle {
	bounds := img.Bounds()
	fallback := bounds.Inset(min(bounds.Dx(), bounds.Dy()) / 10)
	if bounds.Dx() < 8 || bounds.Dy() < 8 {
		return bounds
	}
	src := asNRGBA(img, bounds)
	s := math.Min(1, math.Sqrt(20_000/float64(bounds.Dx()*bounds.Dy())))
	wk := downscale(src, bounds, s)
	w, h := wk.w, wk.h
	band := max(1, min(w, h)/16)
	var border []int32
	for i := range w * h {
		if x, y := i%w, i/w; x < band || y < band || x >= w-band || y >= h-band {
			border = append(border, int32(i))
		}
	}
	var bg gmm
	bg.initKMeans(wk.pix, border)
	relearn(&bg, wk.pix, border)
	sal := make([]float64, w*h)
	for i := range sal {
		dx, dy := (float64(i%w)+0.5)/float64(w)-0.5, (float64(i/w)+0.5)/float64(h)-0.5
		centre := math.Exp(-(dx*dx + dy*dy) / (2 * 0.3 * 0.3))
		sal[i] = bg.nll(wk.pix[i*3:i*3+3]) * (0.5 + centre)
	}
	th := otsu(sal)
	var xs, ys []int
	for i, v := range sal {
		if v > th {
			xs, ys = append(xs, i%w), append(ys, i/w)
		}
	}
	if len(xs) < w*h/100 {
		return fallback
	}
	slices.Sort(xs)
	slices.Sort(ys)
	q := func(v []int, f float64) float64 { return float64(v[int(f*float64(len(v)-1))]) }
	x0, x1 := q(xs, 0.01), q(xs, 0.99)+1
	y0, y1 := q(ys, 0.01), q(ys, 0.99)+1
	mx, my := (x1-x0)*0.08, (y1-y0)*0.08
	r := image.Rect(
		bounds.Min.X+int((x0-mx)/wk.sx), bounds.Min.Y+int((y0-my)/wk.sy),
		bounds.Min.X+int(math.Ceil((x1+mx)/wk.sx)), bounds.Min.Y+int(math.Ceil((y1+my)/wk.sy)),
	)
	// Keep a rim of backdrop for the models to learn from.
	r = r.Intersect(bounds.Inset(max(1, min(bounds.Dx(), bounds.Dy())/50)))
	if r.Dx() < bounds.Dx()/10 || r.Dy() < bounds.Dy()/10 {
		return fallback
	}
	return r
}

// otsu returns the threshold that best splits v in two classes.
func otsu(v []float64) float64 {
	lo, hi := slices.Min(v), slices.Max(v)
	if hi <= lo {
		return hi
	}
	const bins = 256
	var hist [bins]float64
	for _, x := range v {
		hist[min(bins-1, int((x-lo)/(hi-lo)*bins))]++
	}
	total, sum := float64(len(v)), 0.0
	for i, c := range hist {
		sum += float64(i) * c
	}
	best, bestVar, wB, sumB := 0, -1.0, 0.0, 0.0
	for i, c := range hist {
		wB += c
		if wB == 0 || wB == total {
			continue
		}
		sumB += float64(i) * c
		mB, mF := sumB/wB, (sum-sumB)/(total-wB)
		if bv := wB * (total - wB) * (mB - mF) * (mB - mF); bv > bestVar {
			best, bestVar = i, bv
		}
	}
	return lo + (float64(best)+1)/bins*(hi-lo)
}
