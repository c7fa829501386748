package engine

import (
	"image"
	"math"

	"github.com/disintegration/imaging"

	"github.com/zeninpaint/studio/client/imagefile"
)

// maskArea counts the pixels of box where mask is set.
func maskArea(mask *image.Gray, box image.Rectangle) int {
	n := 0
	for y := box.Min.Y; y < box.Max.Y; y++ {
		for _, v := range mask.Pix[mask.PixOffset(box.Min.X, y):mask.PixOffset(box.Max.X, y)] {
			if v != 0 {
				n++
			}
		}
	}
	return n
}

// exemplarMaxPixels bounds the area the exemplar fill works on, and so its
// memory (about 30 bytes a pixel on float planes: some 420 MB, what 24 M
// pixels took at 17 bytes before; a 12 MP picture's whole frame still
// fits): a larger region is filled at a reduced scale and scaled back up.
const exemplarMaxPixels = 14_000_000

// exemplarField fills the hole in region by exemplarFill, the region being
// also the source of patches, scaled down first when it is over maxPixels
// pixels. It returns the colours of keep (a part of region) with the hole
// filled (in keep's coordinates), or nil when there is no whole known
// patch to copy from.
func exemplarField(p *tracker, img *image.NRGBA, mask *image.Gray, region, keep image.Rectangle, seed uint64, from, to float64, maxPixels int) (*field, error) {
	out := newField(keep.Dx(), keep.Dy())
	at := keep.Min.Sub(region.Min)
	if region.Dx()*region.Dy() <= maxPixels {
		pl, err := exemplarFill(p, img, mask, region, seed, from, to)
		if pl == nil || err != nil {
			return nil, err
		}
		for y := 0; y < out.h; y++ {
			for x := 0; x < out.w; x++ {
				j := (y+at.Y)*pl.w + x + at.X
				for k := range out.c {
					out.c[k][y*out.w+x] = pl.c[k][j]
				}
			}
		}
		return out, nil
	}
	f := math.Sqrt(float64(maxPixels) / float64(region.Dx()*region.Dy()))
	sw, sh := max(1, int(float64(region.Dx())*f)), max(1, int(float64(region.Dy())*f))
	small := imaging.Resize(img.SubImage(region), sw, sh, imaging.Lanczos)
	smallMask := imagefile.ToGray(imaging.Resize(mask.SubImage(region), sw, sh, imaging.Box))
	for i, v := range smallMask.Pix {
		if v != 0 {
			smallMask.Pix[i] = 255 // any trace of the hole is hole
		}
	}
	pl, err := exemplarFill(p, small, smallMask, small.Rect, seed, from, to)
	if pl == nil || err != nil {
		return nil, err
	}
	blendFill(small, smallMask, small.Rect, func(x, y int) [3]float32 {
		i := y*pl.w + x
		return [3]float32{pl.c[0][i], pl.c[1][i], pl.c[2][i]}
	})
	big := imaging.Resize(small, region.Dx(), region.Dy(), imaging.Lanczos)
	for y := 0; y < out.h; y++ {
		for x := 0; x < out.w; x++ {
			o := big.PixOffset(x+at.X, y+at.Y)
			for k := range out.c {
				out.c[k][y*out.w+x] = float32(big.Pix[o+k])
			}
		}
	}
	return out, nil
}

// blendFill blends colour(x, y) (in region's coordinates) into the pixels
// of region where mask is set, by the mask's strength, and makes them
// opaque.
func blendFill(img *image.NRGBA, mask *image.Gray, region image.Rectangle, colour func(x, y int) [3]float32) {
	for y := 0; y < region.Dy(); y++ {
		for x := 0; x < region.Dx(); x++ {
			m := mask.GrayAt(region.Min.X+x, region.Min.Y+y).Y
			if m == 0 {
				continue
			}
			t := float32(m) / 255
			c := colour(x, y)
			o := img.PixOffset(region.Min.X+x, region.Min.Y+y)
			for k := 0; k < 3; k++ {
				img.Pix[o+k] = clamp8(lerp(float32(img.Pix[o+k]), c[k], t))
			}
			img.Pix[o+3] = 255
		}
	}
}

// exemplarFill is content-aware fill by patch synthesis, after Wexler,
// Shechtman and Irani ("Space-Time Completion of Video", PAMI 2007) with
// PatchMatch (Barnes et al., 2009) as the nearest-neighbour search: on a
// pyramid of region, the hole is first filled at the coarsest level from
// its edge inward (onionPeel); then, level by level from coarse to fine,
// every patch touching the hole is matched to the most similar known patch
// and the hole's pixels are re-estimated from the matches' votes, a few
// times per level. It returns region's field with the hole filled, or nil
// when region has no whole known patch to copy from. It does not write img.
// Its patch search goes through the colour gate (see colourGate).
func exemplarFill(p *tracker, img *image.NRGBA, mask *image.Gray, region image.Rectangle, seed uint64, from, to float64) (*field, error) {
	return exemplarFillGated(p, img, mask, region, seed, from, to, true)
}

// exemplarFillGated is exemplarFill with the colour gate on or off (off
// only to test the gate).
func exemplarFillGated(p *tracker, img *image.NRGBA, mask *image.Gray, region image.Rectangle, seed uint64, from, to float64, gated bool) (*field, error) {
	pyramid := []*field{fieldFrom(img, mask, region)}
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
		m.noGate = !gated
		if len(m.sources) >= minSourceCount || coarsest == 0 && len(m.sources) > 0 {
			break
		}
	}
	if coarsest < 0 {
		return nil, nil
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
			if err := m.onionPeel(ctx); err != nil {
				return nil, err
			}
			m.seedRandom()
			radius = max(pl.w, pl.h)
		} else {
			finer := newMatcher(pl, seed+uint64(l))
			finer.noGate = !gated
			finer.coarseGate = m.colour
			finer.seedFrom(m)
			m = finer
			if err := m.vote(ctx, true); err != nil {
				return nil, err
			}
		}
		clear(pyramid[l+1:]) // let the coarser levels go
		iterations := emIterations(l, coarsest)
		for e := range iterations {
			if err := m.measure(ctx); err != nil {
				return nil, err
			}
			for pass := 2 * e; pass < 2*e+2; pass++ {
				if err := m.search(ctx, pass, radius); err != nil {
					return nil, err
				}
			}
			if err := m.vote(ctx, false); err != nil {
				return nil, err
			}
			done += float64(pl.w * pl.h)
			if err := p.step(from + (to-from)*done/total); err != nil {
				return nil, err
			}
		}
	}

	return pyramid[0], nil
}

// emIterations is how many search-and-vote rounds level l gets: three at
// the coarsest level, where the structure is decided and pixels are few,
// one fewer at each finer level down to one, and none at the finest level
// (when it is not also the coarsest): there the field inherited from the
// level above is only voted, which copies the full-resolution detail of
// its matches. More rounds did not score better on the photo benchmark and
// cost most of the time.
func emIterations(l, coarsest int) int {
	if l == 0 && coarsest > 0 {
		return 0
	}
	return max(1, 3-(coarsest-l))
}
