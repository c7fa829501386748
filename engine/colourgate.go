package engine

import (
	"image"
	"math"
)

// The colour gate's parameters (issue #27: copies whose colour statistics
// differ from the hole's surroundings are rejected). The surroundings of a
// target are the known pixels within colourRing of the hole, each with the
// mean and spread of its colour over its neighbours within colourReach,
// carried into the hole by membranes (so a target sees the statistics of
// the nearest part of the hole's edge, and of the whole edge in a blend
// towards the middle). A source patch's mean colour may lie up to
// colourSpread standard deviations plus colourSlack levels from the
// target's mean, channel by channel (RGB); beyond that, each level of
// excess costs colourWeight times its square per patch pixel, on top of
// the patch distance, which in practice refuses the copy. Within the
// tolerance nothing changes, so textured or mixed surroundings (a wide
// spread) let every copy through, while a plain region (a narrow spread)
// refuses a copy of a badge, a collar or a roof line.
const (
	colourReach  = 1
	colourRing   = patchRadius + 1
	colourSpread = 2.5
	colourSlack  = 20
	colourWeight = 4
)

// colourGate holds what the gate needs on one pyramid level: each pixel's
// patch mean (meaningful at valid source centres) and, for the pixels of
// the nearest-neighbour field's box, the range of patch means allowed
// there.
type colourGate struct {
	box     image.Rectangle
	srcMean []uint8 // per level pixel, 3 channels, rounded (12 MP levels are large)
	bounds  []uint8 // per box pixel: low and high for each channel, widened to whole levels
}

// gate is the matcher's colour gate, made on first use: measured on the
// coarsest level, and at each finer level taken from the level above it
// (see finer).
func (m *matcher) gate() *colourGate {
	if m.colour == nil {
		if m.coarseGate != nil {
			m.colour = m.coarseGate.finer(m.pl, m.f.box)
		} else {
			m.colour = newColourGate(m.pl, m.f.box)
		}
	}
	return m.colour
}

// sourceMeans sets g's patch means for pl: running sums down the
// columns and along each row, in a row's worth of memory.
func (g *colourGate) sourceMeans(pl *field) {
	r, w, h := patchRadius, pl.w, pl.h
	g.srcMean = make([]uint8, 3*w*h)
	cols := make([]float32, w)
	for k, c := range pl.c {
		clear(cols)
		for y := 0; y < min(r, h); y++ {
			for x, v := range c[y*w : (y+1)*w] {
				cols[x] += v
			}
		}
		for y := 0; y < h; y++ {
			if yy := y + r; yy < h {
				for x, v := range c[yy*w : (yy+1)*w] {
					cols[x] += v
				}
			}
			if yy := y - r - 1; yy >= 0 {
				for x, v := range c[yy*w : (yy+1)*w] {
					cols[x] -= v
				}
			}
			ny := float32(min(y+r, h-1) - max(y-r, 0) + 1)
			var sum float32
			for x := 0; x < min(r, w); x++ {
				sum += cols[x]
			}
			for x := 0; x < w; x++ {
				if xx := x + r; xx < w {
					sum += cols[xx]
				}
				if xx := x - r - 1; xx >= 0 {
					sum -= cols[xx]
				}
				nx := float32(min(x+r, w-1) - max(x-r, 0) + 1)
				g.srcMean[3*(y*w+x)+k] = clamp8(sum / (nx * ny))
			}
		}
	}
}

// finer is the gate of the next finer level, pl, for the targets in box:
// its own patch means, and each pixel's allowed range that of the pixel
// above it here (the surroundings' statistics change slowly, and
// measuring them again at every level took a sixth of the fill's CPU).
func (g *colourGate) finer(pl *field, box image.Rectangle) *colourGate {
	n := &colourGate{box: box}
	n.sourceMeans(pl)
	bw, bh := box.Dx(), box.Dy()
	n.bounds = make([]uint8, 6*bw*bh)
	for y := 0; y < bh; y++ {
		cy := min(max((box.Min.Y+y)/2, g.box.Min.Y), g.box.Max.Y-1) - g.box.Min.Y
		for x := 0; x < bw; x++ {
			cx := min(max((box.Min.X+x)/2, g.box.Min.X), g.box.Max.X-1) - g.box.Min.X
			j := cy*g.box.Dx() + cx
			copy(n.bounds[6*(y*bw+x):6*(y*bw+x)+6], g.bounds[6*j:6*j+6])
		}
	}
	return n
}

// newColourGate measures the gate's statistics on pl (one pyramid level)
// for the targets in box (pl's coordinates).
func newColourGate(pl *field, box image.Rectangle) *colourGate {
	g := &colourGate{box: box}
	g.sourceMeans(pl)
	// The surroundings: the known pixels within colourReach of each pixel
	// of the box (grown by that reach), their mean and mean square
	// (about ref, the known pixels' mean, which keeps the variance's
	// difference of squares accurate) carried into the hole by membranes.
	area := box.Inset(-colourReach).Intersect(image.Rect(0, 0, pl.w, pl.h))
	aw, ah := area.Dx(), area.Dy()
	var ref [3]float32
	var count float32
	for y := area.Min.Y; y < area.Max.Y; y++ {
		for x := area.Min.X; x < area.Max.X; x++ {
			if j := y*pl.w + x; pl.fixed(j) {
				for k := range ref {
					ref[k] += pl.c[k][j]
				}
				count++
			}
		}
	}
	for k := range ref {
		ref[k] /= max(count, 1)
	}
	known := make([]float32, aw*ah)
	var v, sq [3][]float32
	for k := range v {
		v[k], sq[k] = make([]float32, aw*ah), make([]float32, aw*ah)
	}
	for y := 0; y < ah; y++ {
		for x := 0; x < aw; x++ {
			i, j := y*aw+x, (area.Min.Y+y)*pl.w+area.Min.X+x
			if !pl.fixed(j) {
				continue
			}
			known[i] = 1
			for k := range v {
				c := pl.c[k][j] - ref[k]
				v[k][i], sq[k][i] = c, c*c
			}
		}
	}
	cover := boxSum(known, aw, ah, colourReach)
	mean, msq := newField(aw, ah), newField(aw, ah)
	for k := range v {
		sv, ssq := boxSum(v[k], aw, ah, colourReach), boxSum(sq[k], aw, ah, colourReach)
		for i, n := range cover {
			if n > 0 {
				mean.c[k][i], msq.c[k][i] = sv[i]/n, ssq[i]/n
			}
		}
	}
	hole := make([]bool, aw*ah)
	for i, k := range known {
		hole[i] = k == 0
	}
	ring := dilate(hole, aw, ah, colourRing)
	for i, n := range cover {
		// A known pixel near the hole is a boundary value of the
		// membranes; the others take the harmonic interpolation of those
		// (far ones are left out: a strong colour there, one the hole does
		// not touch, would leak in through the solver's coarse levels).
		fixed := n > 0 && known[i] > 0 && ring[i]
		mean.setFixed(i, fixed)
		msq.setFixed(i, fixed)
	}
	solveMembrane(mean)
	solveMembrane(msq)
	bw, bh := box.Dx(), box.Dy()
	g.bounds = make([]uint8, 6*bw*bh)
	at := box.Min.Sub(area.Min)
	for y := 0; y < bh; y++ {
		for x := 0; x < bw; x++ {
			i, j := y*bw+x, (y+at.Y)*aw+x+at.X
			for k := range mean.c {
				m := mean.c[k][j]
				sd := float32(math.Sqrt(float64(max(0, msq.c[k][j]-m*m))))
				tol := colourSpread*sd + colourSlack
				lo, hi := math.Floor(float64(ref[k]+m-tol)), math.Ceil(float64(ref[k]+m+tol))
				g.bounds[6*i+2*k], g.bounds[6*i+2*k+1] = uint8(min(max(lo, 0), 255)), uint8(min(max(hi, 0), 255))
			}
		}
	}
	return g
}

// penalty is what the gate adds to the distance between the patch at
// target i (an index in the box) and the source patch at s (a level
// index), for a patch of n pixels: colourWeight·n times the sum over the
// channels of the square of how far the source's mean lies outside the
// target's range.
func (g *colourGate) penalty(i, s int, n float32) float32 {
	b := (*[6]uint8)(g.bounds[6*i:])
	m := (*[3]uint8)(g.srcMean[3*s:])
	var sum float32
	for k, v := range m {
		if e := max(int(b[2*k])-int(v), int(v)-int(b[2*k+1])); e > 0 {
			sum += float32(e * e)
		}
	}
	return colourWeight * n * sum
}

// boxSum is, for every pixel of v (w×h), the sum of v over the square of
// the given radius around it (clipped at the edges): two running sums.
func boxSum(v []float32, w, h, radius int) []float32 { return separable(v, w, h, radius, runningSum) }

// runningSum sets dst[i] to the sum of src within radius of i (n values,
// step apart).
func runningSum(src, dst []float32, n, step, radius int) {
	var sum float32
	for i := 0; i < min(radius, n); i++ {
		sum += src[i*step]
	}
	for i := 0; i < n; i++ {
		if j := i + radius; j < n {
			sum += src[j*step]
		}
		if j := i - radius - 1; j >= 0 {
			sum -= src[j*step]
		}
		dst[i*step] = sum
	}
}
