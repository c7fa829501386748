package engine

import (
	"image"
	"math"
)

// This file holds CutOut's model of the backdrop: Oklab planes, a robust
// quadratic surface fitted to the borders, and the distance from it that
// forgives shadows.

// shadowTexture is how much more local texture than the backdrop's (its
// 95th percentile) a darker pixel of the backdrop's colour may have and
// still be taken for shadow.
const shadowTexture = 2.5

// localTexture is, for a lightness plane, the local mean of its detail
// (the plane minus its blur): low on a backdrop and in a soft shadow, high
// on texture and along a sharp edge.
func localTexture(l []float32, w, h int) []float32 {
	blurred := make([]float32, len(l))
	copy(blurred, l)
	gaussBlur(blurred, w, h, 1.5)
	tex := make([]float32, len(l))
	for i, v := range l {
		tex[i] = float32(math.Abs(float64(v - blurred[i])))
	}
	return binomialBlur(tex, w, h)
}

// cutOutMinContrast is the least Oklab distance from the backdrop that may
// count as subject, however clean the backdrop.
const cutOutMinContrast = 0.02

// oklabPlanes is img in Oklab, one plane per channel.
func oklabPlanes(img *image.NRGBA) [3][]float32 {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	var lab [3][]float32
	for k := range lab {
		lab[k] = make([]float32, w*h)
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			o := img.PixOffset(img.Rect.Min.X+x, img.Rect.Min.Y+y)
			c := toOklab(img.Pix[o : o+3])
			for k := range lab {
				lab[k][y*w+x] = float32(c[k])
			}
		}
	}
	return lab
}

// backdropDistance is how far an Oklab colour is from the backdrop's
// there. A shadow (the backdrop's colour, darker, its chroma falling with
// its lightness) costs only a tenth of its darkening, down to 40 % of the
// backdrop's lightness; anything darker or brighter, or of another hue,
// counts in full.
func backdropDistance(l, a, b, bl, ba, bb float32) float32 {
	dl := l - bl
	r := float32(1)
	if dl < 0 {
		r = max(l/max(bl, 1e-3), shadowDepth)
		dl = 0.05*(bl-l) + max(0, shadowDepth*bl-l)
	}
	da, db := a-ba*r, b-bb*r
	return float32(math.Sqrt(float64(dl*dl + da*da + db*db)))
}

// shadowDepth is the darkest a shadow may make the backdrop, as a ratio
// of Oklab lightness (0.6 is about half the brightness in sRGB).
const shadowDepth = 0.6

// borderBand marks the pixels within 3 % of the picture's size from its
// edges (at least 2 pixels): where the backdrop is read.
func borderBand(w, h int) []bool {
	bw, bh := max(2, w*3/100), max(2, h*3/100)
	band := make([]bool, w*h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			band[y*w+x] = x < bw || x >= w-bw || y < bh || y >= h-bh
		}
	}
	return band
}

// fitBackdrop fits, to each Oklab plane's border band, a quadratic surface
// in x and y by least squares, three times, each time leaving out the
// pixels farthest from the previous fit (a subject touching the border),
// and returns the surfaces over the whole picture.
func fitBackdrop(lab [3][]float32, w, h int) [3][]float32 {
	band := borderBand(w, h)
	var idx []int
	for i, b := range band {
		if b {
			idx = append(idx, i)
		}
	}
	terms := func(i int) [6]float64 {
		x := 2*float64(i%w)/float64(w-1) - 1
		y := 2*float64(i/w)/float64(h-1) - 1
		return [6]float64{1, x, y, x * x, x * y, y * y}
	}
	use := make([]bool, len(idx))
	for j := range use {
		use[j] = true
	}
	var coef [3][6]float64
	for round := 0; round < 3; round++ {
		for k := range coef {
			coef[k] = fitSurface(idx, use, terms, lab[k])
		}
		// Keep the 70 % of the band nearest the fit.
		res := make([]float32, len(idx))
		for j, i := range idx {
			t := terms(i)
			var d float64
			for k := range coef {
				v := float64(lab[k][i])
				for n, c := range coef[k] {
					v -= c * t[n]
				}
				d += v * v
			}
			res[j] = float32(d)
		}
		cut := quantile(res, 0.7)
		for j := range use {
			use[j] = res[j] <= cut
		}
	}
	var out [3][]float32
	for k := range out {
		out[k] = make([]float32, w*h)
		for i := range out[k] {
			t := terms(i)
			var v float64
			for n, c := range coef[k] {
				v += c * t[n]
			}
			out[k][i] = float32(v)
		}
	}
	return out
}

// fitSurface solves the least-squares fit of values at idx (where use) by
// the terms, by the normal equations and Gaussian elimination.
func fitSurface(idx []int, use []bool, terms func(int) [6]float64, values []float32) [6]float64 {
	var a [6][7]float64
	for j, i := range idx {
		if !use[j] {
			continue
		}
		t := terms(i)
		v := float64(values[i])
		for r := 0; r < 6; r++ {
			for c := 0; c < 6; c++ {
				a[r][c] += t[r] * t[c]
			}
			a[r][6] += t[r] * v
		}
	}
	for r := 0; r < 6; r++ {
		a[r][r] += 1e-9 // keeps a degenerate fit solvable
	}
	for c := 0; c < 6; c++ {
		p := c
		for r := c + 1; r < 6; r++ {
			if math.Abs(a[r][c]) > math.Abs(a[p][c]) {
				p = r
			}
		}
		a[c], a[p] = a[p], a[c]
		for r := 0; r < 6; r++ {
			if r == c || a[c][c] == 0 {
				continue
			}
			f := a[r][c] / a[c][c]
			for k := c; k < 7; k++ {
				a[r][k] -= f * a[c][k]
			}
		}
	}
	var out [6]float64
	for r := range out {
		if a[r][r] != 0 {
			out[r] = a[r][6] / a[r][r]
		}
	}
	return out
}

// quantile is the q-quantile of v (which it does not change).
func quantile(v []float32, q float64) float32 {
	if len(v) == 0 {
		return 0
	}
	// A histogram of 4096 bins between the extremes: exact enough here,
	// and O(n).
	lo, hi := v[0], v[0]
	for _, x := range v {
		lo, hi = min(lo, x), max(hi, x)
	}
	if hi == lo {
		return lo
	}
	const bins = 4096
	var hist [bins]int
	scale := float32(bins-1) / (hi - lo)
	for _, x := range v {
		hist[int((x-lo)*scale)]++
	}
	want := int(q * float64(len(v)))
	n := 0
	for b, c := range hist {
		n += c
		if n > want {
			return lo + (float32(b)+0.5)/scale
		}
	}
	return hi
}
