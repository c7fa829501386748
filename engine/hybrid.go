package engine

import (
	"image"
	"sync"

	"golang.org/x/sync/errgroup"
)

// The hybrid fill's parameters, tuned on the natural-photo benchmark
// (TestPhotoBenchmark).
const (
	clusterJoin = 24 // holes whose boxes come this close are filled together
	minExemplar = 64 // a cluster smaller than this (pixels) gets the membrane only
	clusterRing = 16 // known pixels kept around a cluster's box
	// validateRing is the width, in pixels, of the band of known pixels
	// around a hole that the fill treats as unknown, to see how much of
	// the copies predicts the picture there.
	validateRing = 4
)

// fill replaces the masked pixels of img (mask 255 = fill, soft values
// blend, 0 = never written) with content made from the picture around
// them. Nearby holes are grouped (clusterHoles) and each group is filled on
// its own box plus a margin, so that its pyramid depth and its source of
// patches follow its own size and place. In each group the fill is the sum
// of a smooth part and a textured part:
//
//   - the harmonic membrane of the hole's edge (solveMembrane), which meets
//     the edge exactly and carries its tones inward, with the strong edges
//     that can be matched across the hole drawn through it first
//     (drawStructure);
//   - the exemplar fill (exemplarFill: PatchMatch and voting) taken
//     relative to the membrane of its own values on the same edge, so its
//     copies bring their detail and structure but no step in tone. Its
//     coarse part (all but the finest octave) gets the share that best
//     predicts a band of known pixels around the hole (cross-validation,
//     see fillCluster): near 1 where copies continue the picture (a fence,
//     a regular texture), low where they are wrong in tone, as on much of
//     a photograph. Its finest octave is weighed to give the grain of the
//     picture around the hole (detailWeight, grainTarget).
//
// The sum is blended into the hole's edge in the gradient domain, and
// within edgeDepth pixels of the edge its smooth part gives way to an edge
// band made by Telea's fast-marching fill (continueEdges), which carries
// on the edges and gradients that enter the hole, as much as the copies
// are distrusted. On photographs this beats both a smooth fill and copies
// alone (see TestPhotoBenchmark).
// Nothing is written until every group is done, so a cancelled fill leaves
// img as it was. Progress goes from `from` to `to`.
func fill(p *tracker, img *image.NRGBA, mask *image.Gray, seed uint64, from, to float64) error {
	return fillWith(p, img, mask, seed, 0, from, to)
}

// fillWith is fill with the exemplar's coarse share at least minShare
// (0..1). A fill around a placed subject takes 1: there no truth is to be
// guessed, and the copies' texture is what makes the ring around the
// subject look like the scene rather than a blurred blot.
func fillWith(p *tracker, img *image.NRGBA, mask *image.Gray, seed uint64, minShare float32, from, to float64) error {
	box := maskBounds(mask, 1)
	if box.Empty() {
		return nil
	}
	labels, clusters := clusterHoles(mask, box, clusterJoin)
	total := 0
	for _, c := range clusters {
		total += c.area
	}
	type result struct {
		region image.Rectangle
		out    *field
		own    map[int32]bool
	}
	results := make([]result, len(clusters))
	prog := &clusterProgress{p: p, from: from, to: to, total: float64(total), frac: make([]float64, len(clusters))}
	g, ctx := errgroup.WithContext(p.ctx)
	g.SetLimit(clusterWorkers)
	for n, c := range clusters {
		g.Go(func() error {
			sub := &tracker{ctx: ctx, report: func(f float64) { prog.set(n, f, c.area) }}
			region, out, err := fillCluster(sub, img, mask, c, seed+uint64(n), minShare, 0, 1)
			if err != nil {
				return err
			}
			own := make(map[int32]bool, len(c.parts))
			for _, id := range c.parts {
				own[id] = true
			}
			results[n] = result{region, out, own}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	if err := p.ctx.Err(); err != nil {
		return err
	}
	for _, r := range results {
		for y := r.region.Min.Y; y < r.region.Max.Y; y++ {
			for x := r.region.Min.X; x < r.region.Max.X; x++ {
				m := mask.Pix[mask.PixOffset(x, y)]
				if m == 0 || !r.own[labels.at(x, y)] {
					continue
				}
				i := (y-r.region.Min.Y)*r.region.Dx() + x - r.region.Min.X
				o := img.PixOffset(x, y)
				t := float32(m) / 255
				for k := 0; k < 3; k++ {
					img.Pix[o+k] = clamp8(lerp(float32(img.Pix[o+k]), r.out.c[k][i], t))
				}
				img.Pix[o+3] = 255
			}
		}
	}
	return p.step(to)
}

// clusterWorkers is how many clusters are filled at once: two keep both
// cores busy through each fill's serial parts (membranes, onion peel).
const clusterWorkers = 2

// clusterProgress turns the progress of clusters filled at once into one
// rising figure, weighed by their areas.
type clusterProgress struct {
	mu       sync.Mutex
	p        *tracker
	from, to float64
	total    float64
	frac     []float64 // each cluster's share done, times its area
	last     float64
}

func (c *clusterProgress) set(n int, f float64, area int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.frac[n] = f * float64(area)
	var sum float64
	for _, v := range c.frac {
		sum += v
	}
	if v := c.from + (c.to-c.from)*sum/c.total; v > c.last {
		c.last = v
		c.p.report(v)
	}
}

// fillCluster fills one group of holes (see fill) and returns the region
// it worked on (the group's box and a ring) and that region's colours, the
// hole filled; it does not write img. The exemplar draws its patches from
// the box and a margin of half its size. The exemplar's share is chosen by
// cross-validation: the hole is grown by validateRing pixels, both the
// membrane and the exemplar fill the grown hole, and the share of the
// exemplar's coarse content that best predicts the known band (least
// squares) is the share used inside. The result is then blended into the
// real hole's edge in the gradient domain (a membrane of the difference
// added), so the band's own pixels still meet the fill exactly.
func fillCluster(p *tracker, img *image.NRGBA, mask *image.Gray, c holeCluster, seed uint64, minShare float32, from, to float64) (image.Rectangle, *field, error) {
	margin := max(8*patchRadius, max(c.box.Dx(), c.box.Dy())/2)
	source := c.box.Inset(-margin).Intersect(img.Rect)
	region := c.box.Inset(-clusterRing - validateRing).Intersect(img.Rect)
	w, h := region.Dx(), region.Dy()
	hole := make([]bool, w*h)
	orig := newField(w, h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			i := y*w + x
			o := img.PixOffset(region.Min.X+x, region.Min.Y+y)
			hole[i] = mask.Pix[mask.PixOffset(region.Min.X+x, region.Min.Y+y)] != 0
			for k := range orig.c {
				orig.c[k][i] = float32(img.Pix[o+k])
			}
		}
	}
	small := c.area < minExemplar || max(c.box.Dx(), c.box.Dy()) < 4*patchRadius
	grown := hole
	var border float64 // the texture the hole's edge predicts, measured before the exemplar's planes are made
	if !small {
		grown = dilate(hole, w, h, validateRing)
		border = borderTexture(orig, hole)
	}
	smooth := newField(w, h)
	for i := range hole {
		smooth.setFixed(i, !grown[i])
		for k := range smooth.c {
			smooth.c[k][i] = orig.c[k][i]
		}
	}
	if !small {
		drawStructure(smooth, orig)
	}
	solveMembrane(smooth)
	if err := p.step(from + 0.1*(to-from)); err != nil {
		return region, nil, err
	}
	if small {
		continueEdges(smooth, orig, hole, nil, 0)
		return region, smooth, nil
	}
	// The exemplar fills the grown hole (all holes of source grown alike).
	sw, sh := source.Dx(), source.Dy()
	srcHole := make([]bool, sw*sh)
	for y := 0; y < sh; y++ {
		for x := 0; x < sw; x++ {
			srcHole[y*sw+x] = mask.Pix[mask.PixOffset(source.Min.X+x, source.Min.Y+y)] != 0
		}
	}
	grownMask := image.NewGray(source)
	for i, g := range dilate(srcHole, sw, sh, validateRing) {
		if g {
			grownMask.Pix[i] = 255
		}
	}
	ex, err := exemplarField(p, img, grownMask, source, region, seed, from+0.1*(to-from), from+0.9*(to-from), exemplarMaxPixels)
	if err != nil {
		return region, nil, err
	}
	if ex == nil {
		out := poissonTo(smooth, orig, hole)
		continueEdges(out, orig, hole, nil, 0)
		return region, out, nil
	}
	own := edgeMembrane(ex, smooth.known, w, h)
	// D: the exemplar less its own membrane; its coarse part (all but the
	// finest octave) is weighed by the share a that best predicts the band.
	var num, den float64
	var coarse [3][]float32
	for k := range ex.c {
		d := ex.c[k]
		for i := range d {
			if smooth.fixed(i) {
				d[i] = 0
			} else {
				d[i] -= own.c[k][i]
			}
		}
		coarse[k] = binomialBlur(d, w, h)
		for i, g := range grown {
			if g && !hole[i] {
				r := float64(orig.c[k][i] - smooth.c[k][i])
				v := float64(coarse[k][i])
				num += r * v
				den += v * v
			}
		}
	}
	own = nil
	a := minShare
	if den > 0 {
		a = max(a, float32(min(1, max(0, num/den))))
	}
	energy := make([]float32, w*h)
	for k := range ex.c {
		for i, f := range coarse[k] {
			v := ex.c[k][i] - f
			energy[i] += v * v / 3
		}
	}
	energy = binomialBlur2(energy, w, h)
	target := grainTarget(orig, hole)
	weight := energy // from here, the finest octave's weight
	for i := range smooth.known {
		if smooth.fixed(i) {
			weight[i] = 0
			continue
		}
		g := (1-a)*detailWeight(energy[i], target[i], grainLift) + a
		if minShare > 0 { // around a subject the grain counts, not the truth
			g = max(g, detailWeight(energy[i], target[i], 1))
		}
		weight[i] = g
		for k := range ex.c {
			smooth.c[k][i] += a * coarse[k][i]
			ex.c[k][i] -= coarse[k][i] // ex becomes the finest octave
		}
	}
	// Too smooth a hole gets grain added, each pixel's weight lifted in
	// proportion to it and to the square root of the grain around the hole
	// there (grainTarget; so more where the surroundings are rougher,
	// where grain that is not the truth's costs SSIM least), up to
	// floorMax (or its own, when above); too rough a one (in a removal)
	// gets the part of it beyond the trusted share weakened.
	more := target // from here, where the floor adds grain
	var mean float64
	var free int
	for i := range smooth.known {
		if !smooth.fixed(i) {
			mean += float64(target[i])
			free++
		}
	}
	mean = max(mean/float64(max(free, 1)), 1e-6)
	for i := range smooth.known {
		if smooth.fixed(i) {
			more[i] = 0
		} else {
			more[i] = weight[i] * sqrtf(float32(float64(target[i])/mean))
		}
	}
	lift, ceil := floorTexture(smooth, ex, weight, more, border, hole), float32(1)
	if lift == 0 && minShare == 0 {
		ceil = ceilTexture(smooth, ex, weight, a, border, hole)
	}
	for i := range smooth.known {
		if !smooth.fixed(i) {
			g := weight[i]
			if lift > 0 {
				g = min(g+lift*more[i], max(g, floorMax))
			}
			if ceil < 1 {
				g = a + ceil*(g-a)
			}
			for k := range ex.c {
				ex.c[k][i] *= g // ex becomes the grain added
				smooth.c[k][i] += ex.c[k][i]
			}
		}
	}
	out := poissonTo(smooth, orig, hole)
	continueEdges(out, orig, hole, ex, a)
	return region, out, p.step(to)
}

// edgeMembrane is the membrane of ex's values on the inner edge of the
// free pixels (those not fixed), carried out to the fixed pixels that
// touch them.
func edgeMembrane(ex *field, known []float32, w, h int) *field {
	own := newField(w, h)
	copy(own.known, known)
	for i := range own.known {
		if !own.fixed(i) {
			for k := range own.c {
				own.c[k][i] = ex.c[k][i]
			}
			continue
		}
		x, y := i%w, i/w
		var sum [3]float32
		n := float32(0)
		for _, d := range [4][2]int{{-1, 0}, {1, 0}, {0, -1}, {0, 1}} {
			nx, ny := x+d[0], y+d[1]
			if nx < 0 || ny < 0 || nx >= w || ny >= h || own.fixed(ny*w+nx) {
				continue
			}
			j := ny*w + nx
			for k := range sum {
				sum[k] += ex.c[k][j]
			}
			n++
		}
		for k := range sum {
			if n > 0 {
				own.c[k][i] = sum[k] / n
			} else {
				own.c[k][i] = ex.c[k][i]
			}
		}
	}
	solveMembrane(own)
	return own
}

// poissonTo blends fill (made for a grown hole) into the picture orig at
// hole's edge: the membrane of orig-fill from the known pixels is added to
// fill inside hole, which then meets the known pixels with fill's own
// gradients.
func poissonTo(fill, orig *field, hole []bool) *field {
	diff := newField(fill.w, fill.h)
	for i, hl := range hole {
		diff.setFixed(i, !hl)
		if !hl {
			for k := range diff.c {
				diff.c[k][i] = orig.c[k][i] - fill.c[k][i]
			}
		}
	}
	solveMembrane(diff)
	for i, hl := range hole {
		if hl {
			for k := range fill.c {
				fill.c[k][i] += diff.c[k][i]
			}
		}
	}
	return fill
}
