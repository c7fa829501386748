package engine

import (
	"context"
	"math"
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
		for _, p := range ring {
			x, y := p%pl.w, p/pl.w
			x0, x1, y0, y1 := m.clip(x, y)
			best, bestDist := -1, float32(math.MaxFloat32)
			for k := 0; k < len(m.sources); k += stride {
				s := int(m.sources[k])
				var sum float32
				if m.colour != nil {
					sum = m.colour.penalty(p, s, float32((x1-x0+1)*(y1-y0+1)))
				}
				for dy := y0; dy <= y1 && sum < bestDist; dy++ {
					for dx := x0; dx <= x1; dx++ {
						t := p + dy*pl.w + dx
						if !filled[t] {
							continue
						}
						q := s + dy*pl.w + dx
						for _, c := range pl.c {
							d := c[t] - c[q]
							sum += d * d
						}
					}
				}
				if sum < bestDist {
					best, bestDist = s, sum
				}
			}
			for _, c := range pl.c {
				c[p] = c[best]
			}
		}
		for _, p := range ring {
			filled[p] = true
		}
		holeLeft -= len(ring)
	}
	return nil
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
