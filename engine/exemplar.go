package engine

import (
	"image"
)

// fill replaces the masked pixels of img (mask 255 = fill, soft values
// blend, 0 = never written) with content taken from the rest of the image:
// exemplar-based synthesis (exemplarFill) for a real hole, the diffusion
// membrane (fillHoles) for a speck, where a patch would not fit. Progress
// goes from `from` to `to`.
func fill(p *tracker, img *image.NRGBA, mask *image.Gray, seed uint64, from, to float64) error {
	box := maskBounds(mask, 1)
	if box.Empty() {
		return nil
	}
	holePixels := 0
	for y := box.Min.Y; y < box.Max.Y; y++ {
		for _, v := range mask.Pix[mask.PixOffset(box.Min.X, y):mask.PixOffset(box.Max.X, y)] {
			if v != 0 {
				holePixels++
			}
		}
	}
	if holePixels < 64 || max(box.Dx(), box.Dy()) < 4*patchRadius {
		return fillHoles(p, img, mask, from, to)
	}
	ok, err := exemplarFill(p, img, mask, box, seed, from, to)
	if err != nil || ok {
		return err
	}
	return fillHoles(p, img, mask, from, to)
}

// exemplarFill is content-aware fill by patch synthesis, after Wexler,
// Shechtman and Irani ("Space-Time Completion of Video", PAMI 2007) with
// PatchMatch (Barnes et al., 2009) as the nearest-neighbour search: on a
// pyramid of the mask's bounding box plus a margin, the hole is first filled
// coarsely by diffusion; then, level by level from coarse to fine, every
// patch touching the hole is matched to the most similar known patch and
// the hole's pixels are re-estimated from the matches' votes, a few times
// per level. It reports false, and writes nothing, when the image has no
// whole known patch to copy from.
func exemplarFill(p *tracker, img *image.NRGBA, mask *image.Gray, box image.Rectangle, seed uint64, from, to float64) (bool, error) {
	margin := max(8*patchRadius, max(box.Dx(), box.Dy())/2)
	region := box.Inset(-margin).Intersect(img.Rect)
	pyramid := []*plane{planeFrom(img, mask, region)}
	for top := pyramid[0]; ; {
		hb := top.holeBounds()
		if max(hb.Dx(), hb.Dy()) <= coarsestHole || min(top.w, top.h) < 16*patchRadius {
			break
		}
		top = top.half()
		pyramid = append(pyramid, top)
	}
	// The coarsest level that still has enough whole known patches.
	var m *matcher
	coarsest := len(pyramid) - 1
	for ; coarsest >= 0; coarsest-- {
		m = newMatcher(pyramid[coarsest], seed+uint64(coarsest))
		if len(m.sources) >= minSourceCount || coarsest == 0 && len(m.sources) > 0 {
			break
		}
	}
	if coarsest < 0 {
		return false, nil
	}

	// Work per level is its area times its iterations; progress follows it.
	var total, done float64
	for l := coarsest; l >= 0; l-- {
		total += float64(pyramid[l].w*pyramid[l].h) * float64(emIterations(l, coarsest))
	}
	ctx := p.ctx
	for l := coarsest; l >= 0; l-- {
		pl := pyramid[l]
		radius := fineSearch
		if l == coarsest {
			pl.diffuse()
			if err := m.onionPeel(ctx); err != nil {
				return false, err
			}
			m.seedRandom()
			radius = max(pl.w, pl.h)
		} else {
			finer := newMatcher(pl, seed+uint64(l))
			finer.seedFrom(m)
			m = finer
			if err := m.vote(ctx, true); err != nil {
				return false, err
			}
		}
		pyramid = pyramid[:l+1] // let the coarser levels go
		iterations := emIterations(l, coarsest)
		for e := range iterations {
			if err := m.measure(ctx); err != nil {
				return false, err
			}
			for pass := 2 * e; pass < 2*e+2; pass++ {
				if err := m.search(ctx, pass, radius); err != nil {
					return false, err
				}
			}
			if err := m.vote(ctx, false); err != nil {
				return false, err
			}
			done += float64(pl.w * pl.h)
			if err := p.step(from + (to-from)*done/total); err != nil {
				return false, err
			}
		}
	}

	// Blend the synthesized pixels in by the mask's strength.
	pl := pyramid[0]
	for y := 0; y < pl.h; y++ {
		for x := 0; x < pl.w; x++ {
			i := y*pl.w + x
			if !pl.hole[i] {
				continue
			}
			t := float32(mask.GrayAt(region.Min.X+x, region.Min.Y+y).Y) / 255
			o := img.PixOffset(region.Min.X+x, region.Min.Y+y)
			for c := 0; c < 3; c++ {
				img.Pix[o+c] = clamp8(lerp(float32(img.Pix[o+c]), float32(pl.pix[3*i+c]), t))
			}
			img.Pix[o+3] = 255
		}
	}
	return true, nil
}

// emIterations is how many search-and-vote rounds level l gets: many at
// the coarsest level, where the structure is decided and pixels are few,
// and two at the finest levels, which mostly sharpen what they inherit.
func emIterations(l, coarsest int) int {
	return max(2, 8-2*(coarsest-l))
}
