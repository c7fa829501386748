package engine

import (
	"context"
	"errors"
	"fmt"
	"image"
	"math"

	"github.com/disintegration/imaging"
)

// ErrNoSubject is returned by CutOut when nothing in the picture stands
// out from the backdrop estimated from its borders.
var ErrNoSubject = errors.New("no subject stands out from the backdrop")

// cutOutMaxPixels is the largest picture CutOut separates at full size; a
// larger one is separated at this size and its alpha scaled up.
const cutOutMaxPixels = 4_000_000

// CutOut separates the subject of a photo shot on a studio backdrop (plain,
// gradient or paper sweep, with soft shadows) and returns the photo with
// an alpha channel: 255 on the subject, 0 on the backdrop, soft values at
// the subject's edge. The backdrop is modelled from the picture's borders
// (a smooth quadratic surface in Oklab, fitted robustly, so a subject that
// touches a border does not spoil it); a pixel belongs to the subject when
// its colour is far from the backdrop's there, a darker pixel of the
// backdrop's own hue, as smooth as the backdrop, counting as shadow; the
// subject is the large connected parts, their narrow gaps bridged and
// their interior holes filled; its edge gets a soft
// alpha from the compositing equation (the pixel as a mix of the subject's
// nearby colour and the backdrop's nearby colour, shadow included), and
// the colours of edge pixels are those of the subject without the backdrop
// mixed in (no halo on a new background). Opaque pixels keep their colours
// exactly.
//
// For the app's "Mask from subject", SubjectMask turns the result into a
// mask. It returns ErrNoSubject when nothing stands out, and ctx's error
// when ctx ends first.
func CutOut(ctx context.Context, img image.Image) (*image.NRGBA, error) {
	src := imaging.Clone(img)
	w, h := src.Rect.Dx(), src.Rect.Dy()
	if w < 8 || h < 8 {
		return nil, fmt.Errorf("cut out: a %d×%d picture is too small", w, h)
	}
	work := src
	if w*h > cutOutMaxPixels {
		f := math.Sqrt(float64(cutOutMaxPixels) / float64(w*h))
		work = imaging.Resize(src, max(8, int(float64(w)*f)), max(8, int(float64(h)*f)), imaging.Box)
	}
	alpha, fg, err := separate(ctx, work)
	if err != nil {
		return nil, fmt.Errorf("cut out: %w", err)
	}
	out := imaging.Clone(src)
	if work != src {
		big := imaging.Resize(alpha, w, h, imaging.Linear)
		for i := 0; i < w*h; i++ {
			out.Pix[4*i+3] = big.Pix[4*i]
		}
		return out, nil
	}
	for i, a := range alpha.Pix {
		out.Pix[4*i+3] = a
		if a > 0 && a < 255 {
			copy(out.Pix[4*i:4*i+3], fg[3*i:3*i+3])
		}
	}
	return out, nil
}

// SubjectMask is the mask of a cut-out subject (CutOut's result): white
// where the subject is opaque, soft at its edge, black on the backdrop.
func SubjectMask(cut *image.NRGBA) *image.Gray {
	m := image.NewGray(cut.Rect)
	for y := 0; y < cut.Rect.Dy(); y++ {
		for x := 0; x < cut.Rect.Dx(); x++ {
			m.Pix[y*m.Stride+x] = cut.Pix[y*cut.Stride+4*x+3]
		}
	}
	return m
}

// MaskFromSubject is SubjectMask(CutOut(ctx, img)): the mask of the
// subject of a photo shot on a backdrop.
func MaskFromSubject(ctx context.Context, img image.Image) (*image.Gray, error) {
	cut, err := CutOut(ctx, img)
	if err != nil {
		return nil, err
	}
	return SubjectMask(cut), nil
}

// separate computes the subject's alpha for img and, at the soft edge, the
// subject's own colour (packed RGB, 3 bytes a pixel, set where alpha is
// strictly between 0 and 255).
func separate(ctx context.Context, img *image.NRGBA) (*image.Gray, []uint8, error) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	lab := oklabPlanes(img)
	bg := fitBackdrop(lab, w, h)
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	// Two distances from the backdrop: strict (any change of lightness
	// counts) and lenient (a shadow's darkening is nearly free).
	dist := make([]float32, w*h)
	strict := make([]float32, w*h)
	for i := range dist {
		dist[i] = backdropDistance(lab[0][i], lab[1][i], lab[2][i], bg[0][i], bg[1][i], bg[2][i])
		dl, da, db := lab[0][i]-bg[0][i], lab[1][i]-bg[1][i], lab[2][i]-bg[2][i]
		strict[i] = float32(math.Sqrt(float64(dl*dl + da*da + db*db)))
	}
	tex := localTexture(lab[0], w, h)
	// The noise of the backdrop, read on the border band.
	band := borderBand(w, h)
	var border, borderTex []float32
	for i, b := range band {
		if b {
			border = append(border, strict[i])
			borderTex = append(borderTex, tex[i])
		}
	}
	noise := quantile(border, 0.5) * 1.4826 / 0.6745 // median of |x| → σ
	low := max(cutOutMinContrast, 3*noise)
	high := 2 * low
	smooth := max(quantile(borderTex, 0.95), 0.008) * shadowTexture
	// Subject: what differs from the backdrop, less what looks like a
	// shadow: near the backdrop's colour once darkening is forgiven, and
	// as smooth as the backdrop (a shadow is soft; a subject has texture
	// and sharp edges, so even a flat dark part of it keeps its rim, and
	// filling enclosed holes restores its inside).
	sure := make([]bool, w*h)
	rescued := make([]bool, w*h)
	for i, d := range strict {
		sure[i] = dist[i] > high
		rescued[i] = d > high && !sure[i] && tex[i] > smooth
	}
	for i, r := range rescued {
		sure[i] = sure[i] || r
	}
	keepLargeParts(sure, w, h)
	sealed := closing(sure, w, h, max(2, min(w, h)/60))
	fillEnclosed(sealed, w, h)
	sure = sealed
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	area := 0
	for _, s := range sure {
		if s {
			area++
		}
	}
	if area == 0 {
		return nil, nil, ErrNoSubject
	}
	return mattEdge(img, dist, sure, w, h, low, high)
}

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

// keepLargeParts clears the 8-connected parts of set smaller than a tenth
// of the largest (specks of noise, dust, a stray reflection).
func keepLargeParts(set []bool, w, h int) {
	label := make([]int32, w*h)
	var sizes []int
	var stack []int
	for start, s := range set {
		if !s || label[start] != 0 {
			continue
		}
		id := int32(len(sizes) + 1)
		size := 0
		label[start] = id
		stack = append(stack[:0], start)
		for len(stack) > 0 {
			i := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			size++
			x, y := i%w, i/w
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					nx, ny := x+dx, y+dy
					if nx >= 0 && ny >= 0 && nx < w && ny < h {
						if j := ny*w + nx; set[j] && label[j] == 0 {
							label[j] = id
							stack = append(stack, j)
						}
					}
				}
			}
		}
		sizes = append(sizes, size)
	}
	largest := 0
	for _, s := range sizes {
		largest = max(largest, s)
	}
	for i, l := range label {
		if l != 0 && sizes[l-1]*10 < largest {
			set[i] = false
		}
	}
}

// fillEnclosed sets every pixel that the unset pixels touching the
// picture's border cannot reach (4-connected): the subject's interior
// holes, where its colours happen to match the backdrop.
func fillEnclosed(set []bool, w, h int) {
	outside := make([]bool, w*h)
	var stack []int
	push := func(i int) {
		if !set[i] && !outside[i] {
			outside[i] = true
			stack = append(stack, i)
		}
	}
	for x := 0; x < w; x++ {
		push(x)
		push((h-1)*w + x)
	}
	for y := 0; y < h; y++ {
		push(y * w)
		push(y*w + w - 1)
	}
	for len(stack) > 0 {
		i := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		x, y := i%w, i/w
		if x > 0 {
			push(i - 1)
		}
		if x < w-1 {
			push(i + 1)
		}
		if y > 0 {
			push(i - w)
		}
		if y < h-1 {
			push(i + w)
		}
	}
	for i := range set {
		set[i] = !outside[i]
	}
}

// mattEdge turns the hard subject mask sure into a soft alpha: pixels more
// than a few pixels inside it are opaque, those more than a few outside
// transparent, and each pixel of the band between is read as a mix
// I = αF + (1-α)B of the subject's nearby colour F (the inner pixels'
// colours spread outward by push-pull) and the backdrop's B (the colours
// of the backdrop just outside the band, shadows included, spread inward),
// α being the projection of I-B on F-B. Where F and B are too alike for that, α follows
// the distance from the backdrop between low and high. It also returns F
// at the band's pixels, the colour an edge pixel takes in the cut-out.
func mattEdge(img *image.NRGBA, dist []float32, sure []bool, w, h int, low, high float32) (*image.Gray, []uint8, error) {
	r := max(2, min(w, h)/250)
	pl := &plane{w: w, h: h, hole: sure}
	near := pl.dilate(r) // within r of the subject
	notSure := make([]bool, w*h)
	for i, s := range sure {
		notSure[i] = !s
	}
	nearOut := (&plane{w: w, h: h, hole: notSure}).dilate(r) // within r of the backdrop
	// F: the inner pixels' colours, spread outward.
	lv := newLevel(w, h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			i := y*w + x
			o := img.PixOffset(img.Rect.Min.X+x, img.Rect.Min.Y+y)
			for k := 0; k < 3; k++ {
				lv.col[k][i] = float32(img.Pix[o+k])
			}
			if !nearOut[i] {
				lv.wt[i] = 1
			}
		}
	}
	if err := pushPull(lv, func(float64) error { return nil }); err != nil {
		return nil, nil, err
	}
	// B: the colours of the backdrop just outside, shadows and all, spread
	// inward the same way.
	lb := newLevel(w, h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			i := y*w + x
			o := img.PixOffset(img.Rect.Min.X+x, img.Rect.Min.Y+y)
			for k := 0; k < 3; k++ {
				lb.col[k][i] = float32(img.Pix[o+k])
			}
			if !near[i] {
				lb.wt[i] = 1
			}
		}
	}
	if err := pushPull(lb, func(float64) error { return nil }); err != nil {
		return nil, nil, err
	}
	alpha := image.NewGray(image.Rect(0, 0, w, h))
	fg := make([]uint8, 3*w*h)
	for i := range alpha.Pix {
		switch {
		case !near[i]:
			continue // backdrop
		case !nearOut[i]:
			alpha.Pix[i] = 255
			continue
		}
		o := img.PixOffset(img.Rect.Min.X+i%w, img.Rect.Min.Y+i/w)
		var num, den float32
		for k := 0; k < 3; k++ {
			b := lb.col[k][i]
			f := lv.col[k][i] - b
			num += (float32(img.Pix[o+k]) - b) * f
			den += f * f
			fg[3*i+k] = clamp8(lv.col[k][i])
		}
		var a float32
		if den > 24*24 {
			a = num / den
		} else {
			a = (dist[i] - low) / (high - low)
		}
		alpha.Pix[i] = clamp8(255 * min(max(a, 0), 1))
	}
	return alpha, fg, nil
}

// closing is the morphological closing of set by a square of the given
// radius (a dilation, then an erosion): set with its gaps and notches
// narrower than the square bridged.
func closing(set []bool, w, h, radius int) []bool {
	grown := (&plane{w: w, h: h, hole: set}).dilate(radius)
	for i, v := range grown {
		grown[i] = !v
	}
	shrunk := (&plane{w: w, h: h, hole: grown}).dilate(radius)
	for i, v := range shrunk {
		shrunk[i] = !v
	}
	return shrunk
}
