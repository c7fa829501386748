package engine

import "math"

// The weight of the exemplar's finest octave of detail in a fill (see
// detailWeight), tuned on the natural-photo benchmark (TestPhotoBenchmark).
const (
	// detailGain and detailKnee weigh the octave by its own local energy
	// e: detailGain·e/(e+detailKnee). Faint detail fades out; strong detail
	// (texture) stays, up to twice as strong, which makes up for the grain
	// that the vote's averaging smooths away.
	detailGain = 2.0
	detailKnee = 25.0
	// Whatever that gives, the octave's energy is lifted to at least
	// grainLift times the energy of the picture's own finest octave around
	// the hole (its grain: a flat wall's or a blurred background's, which
	// a fill without it shows as a smooth blot), by a weight of at most
	// grainMax, and held to at most grainBoost times it (a copy of a sharp
	// texture into a hole whose surroundings are mostly soft comes out
	// jumbled). The lift is partial because grain that is not the truth's
	// costs SSIM in the hole.
	grainLift  = 0.5
	grainMax   = 3
	grainBoost = 12
)

// detailWeight is the weight of the exemplar's finest octave at a pixel
// where that octave's local energy is e and the picture's grain around
// the hole (grainTarget) is target; lift is the share of that grain the
// octave is lifted to (grainLift for a removal, 1 around a subject).
func detailWeight(e, target, lift float32) float32 {
	e += 0.01
	m := max(detailGain*e/(e+detailKnee), min(sqrtf(lift*target/e), grainMax))
	return min(m, sqrtf(grainBoost*target/e))
}

// grainTarget is, for every pixel of orig, the energy (mean square over
// the channels) of the picture's finest octave around it: measured on the
// known pixels whose 3×3 neighbourhood is known, averaged locally (two
// binomial blurs, weighed by knownness), and carried into the hole by
// push-pull. It is the grain that a fill should have there.
func grainTarget(orig *field, hole []bool) []float32 {
	w, h := orig.w, orig.h
	known := make([]float32, w*h)
	for i, near := range dilate(hole, w, h, 1) {
		if !near {
			known[i] = 1
		}
	}
	energy := make([]float32, w*h)
	for k := range orig.c {
		blur := binomialBlur(orig.c[k], w, h)
		for i, b := range blur {
			v := (orig.c[k][i] - b) * known[i]
			energy[i] += v * v / 3
		}
	}
	wt := binomialBlur(binomialBlur(known, w, h), w, h)
	energy = binomialBlur(binomialBlur(energy, w, h), w, h)
	lv := newField(w, h)
	for i, kw := range wt {
		if kw > 0.05 {
			lv.c[0][i] = energy[i] / kw
			lv.known[i] = min(1, kw)
		}
	}
	_ = pushPull(lv, func(float64) error { return nil })
	return lv.c[0]
}

func sqrtf(v float32) float32 { return float32(math.Sqrt(float64(v))) }

// minTextureShare is the least texture a fill is given, as a share of the
// spread of the Laplacian around the hole (see floorTexture);
// maxTextureShare the most a removal's fill keeps of its finest octave's
// (see ceilTexture). Grain that is not the truth's costs SSIM (on the
// photo benchmark the ceiling lifts the in-hole SSIM by 0.002 and the
// PSNR by 0.02 dB, its texture ratios staying within the goal of
// 0.5–1.5), and a copy rougher than the picture around it reads as a
// patch. Copies that the cross-validation trusts keep that share of their
// grain (a periodic wall's are exact), and a fill around a placed subject
// keeps the scene's grain whole.
const (
	minTextureShare = 0.55
	maxTextureShare = 0.7
)

// floorTexture is the factor (≥ 1) by which a fill's finest octave is
// strengthened when, over the hole's inner pixels, the spread of the
// luminance's Laplacian of base + g·fine is below minTextureShare of its
// spread over the known pixels of orig around the hole; 1 when it is not.
func floorTexture(base, fine *field, g []float32, orig *field, hole []bool) float32 {
	st := textureStats(base, fine, g, 0, orig, hole)
	target := minTextureShare * minTextureShare * st.ring
	if st.ring == 0 || st.at(1) >= target || st.y <= 1e-9 {
		return 1
	}
	return st.crossing(target)
}

// ceilTexture is the factor c (≤ 1) by which the part of a fill's finest
// octave's weight above trusted is weakened (the weight becomes
// trusted + c·(g − trusted)) when the spread of the Laplacian of
// base + g·fine is above maxTextureShare of the surroundings' (measured
// as floorTexture does); 1 when it is not, 0 when base + trusted·fine is
// already above. trusted is the share of the copies that predicts the
// picture around the hole: that much of their grain is kept whole (a
// periodic wall's copies are exact).
func ceilTexture(base, fine *field, g []float32, trusted float32, orig *field, hole []bool) float32 {
	st := textureStats(base, fine, g, trusted, orig, hole)
	target := maxTextureShare * maxTextureShare * st.ring
	switch {
	case st.ring == 0 || st.at(1) <= target || st.y <= 1e-9:
		return 1
	case st.at(0) >= target:
		return 0
	}
	return st.crossing(target)
}

// texture holds, over a hole's inner pixels, the variances of the
// luminance's Laplacian of a base X and of an octave Y and their
// covariance, and the variance over the known pixels around the hole.
type texture struct{ x, y, xy, ring float64 }

// at is the variance of X + t·Y.
func (st texture) at(t float64) float64 { return st.x + 2*t*st.xy + t*t*st.y }

// crossing is the t at which the variance of X + t·Y rises through
// target, for a target above its value at 0.
func (st texture) crossing(target float64) float32 {
	d := st.xy*st.xy - st.y*(st.x-target)
	return float32(max(0, (-st.xy+math.Sqrt(max(0, d)))/st.y))
}

// textureStats measures the texture of base + g0·fine (X) and
// (g − g0)·fine (Y) in the hole and orig's around it.
func textureStats(base, fine *field, g []float32, g0 float32, orig *field, hole []bool) texture {
	w, h := base.w, base.h
	luma := func(f *field, j int) float64 {
		return 0.299*float64(f.c[0][j]) + 0.587*float64(f.c[1][j]) + 0.114*float64(f.c[2][j])
	}
	lap := func(v func(j int) float64, i int) float64 {
		return v(i-1) + v(i+1) + v(i-w) + v(i+w) - 4*v(i)
	}
	var ring, x, y, xy [3]float64 // n, sum, sum of squares
	for yy := 1; yy < h-1; yy++ {
		for xx := 1; xx < w-1; xx++ {
			i := yy*w + xx
			inner := hole[i] && hole[i-1] && hole[i+1] && hole[i-w] && hole[i+w]
			outer := !hole[i] && !hole[i-1] && !hole[i+1] && !hole[i-w] && !hole[i+w]
			switch {
			case outer:
				l := lap(func(j int) float64 { return luma(orig, j) }, i)
				ring[0], ring[1], ring[2] = ring[0]+1, ring[1]+l, ring[2]+l*l
			case inner:
				lb := lap(func(j int) float64 { return luma(base, j) + float64(g0)*luma(fine, j) }, i)
				lf := lap(func(j int) float64 { return float64(g[j]-g0) * luma(fine, j) }, i)
				x[0], x[1], x[2] = x[0]+1, x[1]+lb, x[2]+lb*lb
				y[0], y[1], y[2] = y[0]+1, y[1]+lf, y[2]+lf*lf
				xy[0], xy[1] = xy[0]+1, xy[1]+lb*lf
			}
		}
	}
	if ring[0] == 0 || x[0] == 0 {
		return texture{}
	}
	variance := func(s [3]float64) float64 { m := s[1] / s[0]; return max(0, s[2]/s[0]-m*m) }
	cov := xy[1]/x[0] - (x[1]/x[0])*(y[1]/y[0])
	return texture{x: variance(x), y: variance(y), xy: cov, ring: variance(ring)}
}
