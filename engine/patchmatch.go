package engine

import (
	"context"
	"image"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"

	"golang.org/x/sync/errgroup"
)

// The exemplar fill's parameters. A 7×7 patch is the usual choice of
// PatchMatch and of Wexler et al.; bands are fixed (not one per CPU) so the
// result is the same on every machine.
const (
	patchRadius    = 3
	bands          = 16
	coarsestHole   = 24 // the hole's longer side at the coarsest level, in pixels
	fineSearch     = 24 // random-search radius below the coarsest level
	minSourceCount = 64 // fewer valid source patches than this: stop going coarser
)

// nnf is a nearest-neighbour field (Barnes et al., "PatchMatch: A Randomized
// Correspondence Algorithm for Structural Image Editing", SIGGRAPH 2009):
// for every target pixel (one whose patch touches the hole) inside box, the
// centre of the known source patch that looks most like it, and how unlike
// they are (the sum of squared differences).
type nnf struct {
	box    image.Rectangle // in the field's coordinates
	target []bool
	src    []int32 // field index of the source patch's centre
	dist   []float32
}

func (f *nnf) at(x, y int) int { return (y-f.box.Min.Y)*f.box.Dx() + x - f.box.Min.X }

// matcher finds and uses the nearest-neighbour field of one pyramid level.
type matcher struct {
	pl      *field
	valid   []bool  // a known patch is centred here (a possible source)
	sources []int32 // the valid centres, for random picks
	f       *nnf
	seed    uint64
	colour  *colourGate // see gate; nil until first used
	// coarseGate is the gate of the level above, which gate takes its
	// statistics from.
	coarseGate *colourGate
	noGate     bool // the colour gate is off (tests only)
}

func newMatcher(pl *field, seed uint64) *matcher {
	touch := dilate(pl.holeMask(), pl.w, pl.h, patchRadius)
	m := &matcher{pl: pl, valid: make([]bool, len(touch)), seed: seed}
	r := patchRadius
	for y := r; y < pl.h-r; y++ {
		for x := r; x < pl.w-r; x++ {
			if i := y*pl.w + x; !touch[i] {
				m.valid[i] = true
				m.sources = append(m.sources, int32(i))
			}
		}
	}
	box := pl.holeBounds().Inset(-r).Intersect(image.Rect(0, 0, pl.w, pl.h))
	n := box.Dx() * box.Dy()
	m.f = &nnf{box: box, target: make([]bool, n), src: make([]int32, n), dist: make([]float32, n)}
	for y := box.Min.Y; y < box.Max.Y; y++ {
		for x := box.Min.X; x < box.Max.X; x++ {
			m.f.target[m.f.at(x, y)] = touch[y*pl.w+x]
		}
	}
	return m
}

// rng is a generator for one pass over one band, so that the result does
// not depend on which goroutine runs which band.
func (m *matcher) rng(pass, band int) *rand.Rand {
	return rand.New(rand.NewPCG(m.seed, uint64(pass)<<8|uint64(band)))
}

// randomSource is a valid source centre picked at random.
func (m *matcher) randomSource(rng *rand.Rand) int32 {
	return m.sources[rng.IntN(len(m.sources))]
}

// seedRandom gives every target a random source.
func (m *matcher) seedRandom() {
	rng := m.rng(0, 0)
	for i, t := range m.f.target {
		if t {
			m.f.src[i] = m.randomSource(rng)
		}
	}
}

// seedFrom upsamples the field of the coarser level: a target takes its
// parent's source, doubled, at the same offset inside the 2×2 block, or a
// random source when that one is not valid here.
func (m *matcher) seedFrom(coarse *matcher) {
	rng := m.rng(0, 1)
	cf, cw := coarse.f, coarse.pl.w
	for y := m.f.box.Min.Y; y < m.f.box.Max.Y; y++ {
		for x := m.f.box.Min.X; x < m.f.box.Max.X; x++ {
			i := m.f.at(x, y)
			if !m.f.target[i] {
				continue
			}
			m.f.src[i] = -1
			if p := image.Pt(x/2, y/2); p.In(cf.box) && cf.target[cf.at(p.X, p.Y)] {
				s := int(cf.src[cf.at(p.X, p.Y)])
				sx, sy := 2*(s%cw)+x%2, 2*(s/cw)+y%2
				if sx < m.pl.w && sy < m.pl.h && m.valid[sy*m.pl.w+sx] {
					m.f.src[i] = int32(sy*m.pl.w + sx)
				}
			}
			if m.f.src[i] < 0 {
				m.f.src[i] = m.randomSource(rng)
			}
		}
	}
}

// clip is the part of the patch around target (x, y) that lies inside the
// field, as offsets from the centre.
func (m *matcher) clip(x, y int) (x0, x1, y0, y1 int) {
	r := patchRadius
	return max(-r, -x), min(r, m.pl.w-1-x), max(-r, -y), min(r, m.pl.h-1-y)
}

// distance is the sum of squared differences between the patch at target t
// and the patch at source s (field indices), over the target's clipped
// patch; it stops adding once the sum reaches limit.
func (m *matcher) distance(t, s int, x0, x1, y0, y1 int, limit float32) float32 {
	w, n := m.pl.w, x1-x0+1
	var sum float32
	if n == 2*patchRadius+1 { // a whole row: fixed-size arrays, no bounds checks
		for dy := y0; dy <= y1; dy++ {
			ti, si := t+dy*w+x0, s+dy*w+x0
			for _, c := range m.pl.c {
				a := (*[2*patchRadius + 1]float32)(c[ti:])
				b := (*[2*patchRadius + 1]float32)(c[si:])
				for k := range a {
					d := a[k] - b[k]
					sum += d * d
				}
			}
			if sum >= limit {
				return sum
			}
		}
		return sum
	}
	for dy := y0; dy <= y1; dy++ {
		ti, si := t+dy*w+x0, s+dy*w+x0
		for _, c := range m.pl.c {
			a, b := c[ti:ti+n], c[si:si+n]
			for k, v := range a {
				d := v - b[k]
				sum += d * d
			}
		}
		if sum >= limit {
			return sum
		}
	}
	return sum
}

// measure computes every target's distance to its current source.
func (m *matcher) measure(ctx context.Context) error {
	m.prepare()
	return m.eachBand(ctx, func(y0, y1, _ int) {
		for y := y0; y < y1; y++ {
			for x := m.f.box.Min.X; x < m.f.box.Max.X; x++ {
				if i := m.f.at(x, y); m.f.target[i] {
					x0, x1, dy0, dy1 := m.clip(x, y)
					m.f.dist[i] = m.cost(i, y*m.pl.w+x, int(m.f.src[i]), x0, x1, dy0, dy1, math.MaxFloat32)
				}
			}
		}
	})
}

// prepare makes what cost needs before bands use it at once.
func (m *matcher) prepare() {
	if !m.noGate {
		m.gate()
	}
}

// cost is the distance between the patches at target t (i in the
// field's box) and source s (see distance) plus the colour gate's
// penalty for s at t; it stops adding once it reaches limit.
func (m *matcher) cost(i, t, s int, x0, x1, y0, y1 int, limit float32) float32 {
	var pen float32
	if m.colour != nil {
		pen = m.colour.penalty(i, s, float32((x1-x0+1)*(y1-y0+1)))
		if pen >= limit {
			return pen
		}
	}
	return pen + m.distance(t, s, x0, x1, y0, y1, limit-pen)
}

// eachBand runs fn on horizontal bands of the field's box, as many at once
// as there are CPUs. fn gets the band's rows and its number.
func (m *matcher) eachBand(ctx context.Context, fn func(y0, y1, band int)) error {
	box := m.f.box
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(runtime.GOMAXPROCS(0))
	for b := range bands {
		y0 := box.Min.Y + b*box.Dy()/bands
		y1 := box.Min.Y + (b+1)*box.Dy()/bands
		if y0 == y1 {
			continue
		}
		g.Go(func() error {
			if err := ctx.Err(); err != nil {
				return err
			}
			fn(y0, y1, b)
			return nil
		})
	}
	return g.Wait()
}

// search is one PatchMatch pass: each target tries its neighbours' sources
// shifted by one (propagation, scanning down and right on even passes, up
// and left on odd ones), then sources at random in a window that halves
// from radius down to one pixel (random search). Bands are searched in
// parallel; propagation does not cross a band's edge.
func (m *matcher) search(ctx context.Context, pass, radius int) error {
	step := 1
	if pass%2 == 1 {
		step = -1
	}
	f, w := m.f, m.pl.w
	m.prepare()
	return m.eachBand(ctx, func(y0, y1, band int) {
		rng := m.rng(pass+1, band)
		ys, ye := y0, y1
		xs, xe := f.box.Min.X, f.box.Max.X
		if step < 0 {
			ys, ye, xs, xe = y1-1, y0-1, xe-1, xs-1
		}
		for y := ys; y != ye; y += step {
			for x := xs; x != xe; x += step {
				i := f.at(x, y)
				if !f.target[i] {
					continue
				}
				x0, x1, dy0, dy1 := m.clip(x, y)
				t := y*w + x
				best, bestDist := int(f.src[i]), f.dist[i]
				try := func(s int) {
					if s == best || s < 0 || s >= len(m.valid) || !m.valid[s] {
						return
					}
					if d := m.cost(i, t, s, x0, x1, dy0, dy1, bestDist); d < bestDist {
						best, bestDist = s, d
					}
				}
				// A source shifted off a row's end lands on a border column,
				// which is never valid, so no wrap check is needed.
				if nx := x - step; nx >= f.box.Min.X && nx < f.box.Max.X {
					if n := f.at(nx, y); f.target[n] {
						try(int(f.src[n]) + step)
					}
				}
				if ny := y - step; ny >= y0 && ny < y1 {
					if n := f.at(x, ny); f.target[n] {
						try(int(f.src[n]) + step*w)
					}
				}
				for r := radius; r >= 1; r /= 2 {
					bx, by := best%w, best/w
					sx := bx + rng.IntN(2*r+1) - r
					sy := by + rng.IntN(2*r+1) - r
					if sx >= 0 && sx < w && sy >= 0 && sy < m.pl.h {
						try(sy*w + sx)
					}
				}
				f.src[i], f.dist[i] = int32(best), bestDist
			}
		}
	})
}

// vote sets every hole pixel to the weighted mean of the pixels that the
// sources of the patches covering it put there (the "voting" step of Wexler
// et al., "Space-Time Completion of Video", PAMI 2007). A patch's weight
// falls with its distance, so that good matches dominate; with uniform set,
// every patch counts the same (for the first guess at a new level).
func (m *matcher) vote(ctx context.Context, uniform bool) error {
	f, pl, r := m.f, m.pl, patchRadius
	weight := m.weights(uniform)
	return m.eachBand(ctx, func(y0, y1, _ int) {
		for y := y0; y < y1; y++ {
			for x := f.box.Min.X; x < f.box.Max.X; x++ {
				p := y*pl.w + x
				if pl.fixed(p) {
					continue
				}
				var sum [3]float32
				var wsum float32
				for dy := -r; dy <= r; dy++ {
					ty := y - dy
					if ty < f.box.Min.Y || ty >= f.box.Max.Y {
						continue
					}
					for dx := -r; dx <= r; dx++ {
						tx := x - dx
						if tx < f.box.Min.X || tx >= f.box.Max.X {
							continue
						}
						i := f.at(tx, ty)
						if !f.target[i] {
							continue
						}
						wt := weight[i]
						q := int(f.src[i]) + dy*pl.w + dx
						sum[0] += wt * pl.c[0][q]
						sum[1] += wt * pl.c[1][q]
						sum[2] += wt * pl.c[2][q]
						wsum += wt
					}
				}
				if wsum > 0 {
					for c := 0; c < 3; c++ {
						// Whole levels, as in the 8-bit picture: the
						// rounding is part of the grain the fill was
						// tuned with.
						pl.c[c][p] = float32(clamp8(sum[c] / wsum))
					}
				}
			}
		}
	})
}

// weights is each target's vote weight: exp(-e / 2σ²), with e the patch's
// mean squared difference per pixel and σ² its 75th percentile over the
// field, so the weights adapt to how well the level matches overall.
func (m *matcher) weights(uniform bool) []float32 {
	f := m.f
	out := make([]float32, len(f.target))
	if uniform {
		for i := range out {
			out[i] = 1
		}
		return out
	}
	perPixel := func(i int) float32 {
		x, y := f.box.Min.X+i%f.box.Dx(), f.box.Min.Y+i/f.box.Dx()
		x0, x1, y0, y1 := m.clip(x, y)
		return float32(f.dist[i]) / float32(3*(x1-x0+1)*(y1-y0+1))
	}
	var sample []float32
	stride := max(1, len(f.target)/4096)
	for i := 0; i < len(f.target); i += stride {
		if f.target[i] {
			sample = append(sample, perPixel(i))
		}
	}
	sigma2 := float32(1)
	if len(sample) > 0 {
		slices.Sort(sample)
		sigma2 = max(sigma2, sample[len(sample)*3/4])
	}
	for i, t := range f.target {
		if t {
			out[i] = float32(math.Exp(float64(-perPixel(i)/(2*sigma2)))) + 1e-4
		}
	}
	return out
}
