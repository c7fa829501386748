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
