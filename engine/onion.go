package engine

import (
	"context"
	"math"
	"runtime"

	"golang.org/x/sync/errgroup"
)

// onionBudget caps the patch comparisons of the onion-peel start: beyond
// it, every k-th source is tried rather than all of them.
const onionBudget = 80_000

// onionPeel fills the hole of the coarsest level from its edge inward, a
// ring at a time: each ring pixel takes the centre of the known patch most
// like the part of its own patch already known or filled (an exhaustive
// search, the "onion-peel" start of Newson et al., "Video Inpainting of
// Complex Scenes", SIAM J. Imaging Sciences 2014). It continues edges and
// horizons into the hole where a diffusion start would blur them into a
// blend that the patch search then copies.
func (m *matcher) onionPeel(ctx context.Context) error {
	pl := m.pl
	filled := make([]bool, len(pl.known))
	holeLeft := 0
	for i := range pl.known {
		filled[i] = pl.fixed(i)
		if !filled[i] {
			holeLeft++
		}
	}
	stride := max(1, int(math.Ceil(float64(holeLeft)*float64(len(m.sources))/onionBudget)))
	m.prepare()
	var ring []int
	for holeLeft > 0 {
		if err := ctx.Err(); err != nil {
			return err
		}
		ring = ring[:0]
		for i, f := range filled {
			if !f && touchesFilled(filled, pl.w, pl.h, i) {
				ring = append(ring, i)
			}
		}
		if len(ring) == 0 { // no known pixel at all (then there is no source either)
			return nil
		}
		// The ring's pixels are independent (each reads only pixels
		// filled before this ring), so they are searched in parallel.
		chunks := 1
		if len(ring)*len(m.sources)/stride >= onionParallel {
			chunks = runtime.GOMAXPROCS(0)
		}
		g, gctx := errgroup.WithContext(ctx)
		for n := range chunks {
			part := ring[n*len(ring)/chunks : (n+1)*len(ring)/chunks]
			g.Go(func() error {
				if err := gctx.Err(); err != nil {
					return err
				}
				m.peelPixels(part, filled, stride)
				return nil
			})
		}
		if err := g.Wait(); err != nil {
			return err
		}
		for _, p := range ring {
			filled[p] = true
		}
		holeLeft -= len(ring)
	}
	return nil
}

// onionParallel is the number of patch comparisons in a ring from which
// it is searched on all CPUs.
const onionParallel = 20_000

// peelPixels sets each pixel p of ring to the centre of the source patch
// (every stride-th) most like the filled part of p's patch.
func (m *matcher) peelPixels(ring []int, filled []bool, stride int) {
	pl := m.pl
	var offs []int   // the filled pixels of the patch, as offsets from p
	var rowEnd []int // where each row of them ends in offs
	for _, p := range ring {
		x, y := p%pl.w, p/pl.w
		x0, x1, y0, y1 := m.clip(x, y)
		offs, rowEnd = offs[:0], rowEnd[:0]
		for dy := y0; dy <= y1; dy++ {
			for dx := x0; dx <= x1; dx++ {
				if o := dy*pl.w + dx; filled[p+o] {
					offs = append(offs, o)
				}
			}
			rowEnd = append(rowEnd, len(offs))
		}
		var pen func(s int) float32
		if m.colour != nil {
			i, n := m.f.at(x, y), float32((x1-x0+1)*(y1-y0+1))
			pen = func(s int) float32 { return m.colour.penalty(i, s, n) }
		}
		r, g, b := pl.c[0], pl.c[1], pl.c[2]
		best, bestDist := -1, float32(math.MaxFloat32)
		for k := 0; k < len(m.sources); k += stride {
			s := int(m.sources[k])
			var sum float32
			if pen != nil {
				sum = pen(s)
			}
			start := 0
			for _, end := range rowEnd {
				if sum >= bestDist {
					break
				}
				for _, o := range offs[start:end] {
					t, q := p+o, s+o
					dr, dg, db := r[t]-r[q], g[t]-g[q], b[t]-b[q]
					sum += dr*dr + dg*dg + db*db
				}
				start = end
			}
			if sum < bestDist {
				best, bestDist = s, sum
			}
		}
		for _, c := range pl.c {
			c[p] = c[best]
		}
	}
}

// touchesFilled reports whether pixel i has a filled 8-neighbour.
func touchesFilled(filled []bool, w, h, i int) bool {
	x, y := i%w, i/w
	for dy := -1; dy <= 1; dy++ {
		for dx := -1; dx <= 1; dx++ {
			nx, ny := x+dx, y+dy
			if (dx != 0 || dy != 0) && nx >= 0 && nx < w && ny >= 0 && ny < h && filled[ny*w+nx] {
				return true
			}
		}
	}
	return false
}
