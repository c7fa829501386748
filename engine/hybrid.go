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
	clusterRing = 16 // the known pixels around a cluster that its blend reads
	// lowBlend is the exemplar's share of everything but the finest octave
	// (the membrane has the rest): on photographs copies are too often
	// wrong in tone for more.
	lowBlend = 0.2
	// The finest octave of the exemplar's detail is weighed by its local
	// energy e (the mean of its square, by two 3×3 binomial blurs): by
	// detailGain·e/(e+detailKnee). Faint detail (flat areas, where a copy's
	// grain is noise) fades out; strong detail (texture) stays, up to twice
	// as strong, which makes up for the finest grain that the vote's
	// averaging smooths away.
	detailGain = 2.0
	detailKnee = 25.0
	// A misfit (exemplarFill's) at most trustFull makes the exemplar the
	// whole fill; from there to trustMisfit its share falls to lowBlend.
	trustFull   = 0.15
	trustMisfit = 0.25
)

// fill replaces the masked pixels of img (mask 255 = fill, soft values
// blend, 0 = never written) with content made from the picture around
// them. Nearby holes are grouped (clusterHoles) and each group is filled on
// its own box plus a margin, so that its pyramid depth and its source of
// patches follow its own size and place. In each group the fill is the sum
// of a smooth part and a textured part:
//
//   - the harmonic membrane of the hole's edge (solveMembrane), which meets
//     the edge exactly and carries its tones inward;
//   - the exemplar fill (exemplarFill: PatchMatch and voting) taken
//     relative to the membrane of its own values on the same edge, a
//     gradient-domain (Poisson) blend, so its copies bring their detail and
//     structure but no step in tone at the edge. Its finest octave (the
//     difference from a 3×3 binomial blur) is kept where it is strong and
//     faded where it is faint (detailGain, detailKnee); the rest is
//     weighed against the membrane by lowBlend, or taken whole when the
//     patches match their sources closely (trustFull, trustMisfit).
//
// On photographs this beats both a smooth fill and copies alone: the
// membrane gets the tones right more often than a copy, and the copy's
// grain keeps the hole from looking smeared (see TestPhotoBenchmark).
// Nothing is written until every group is done, so a cancelled fill leaves
// img as it was. Progress goes from `from` to `to`.
func fill(p *tracker, img *image.NRGBA, mask *image.Gray, seed uint64, from, to float64) error {
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
			region, out, err := fillCluster(sub, img, mask, c, seed+uint64(n), 0, 1)
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

// fillCluster fills one group of holes (see fill) and returns the region it
// worked on and that region's colours, the hole filled. It does not write
// img.
func fillCluster(p *tracker, img *image.NRGBA, mask *image.Gray, c holeCluster, seed uint64, from, to float64) (image.Rectangle, *field, error) {
	// The exemplar draws on source, the cluster's box and a margin of
	// half its size; the membranes and the blend work on region, the box
	// and a ring of known pixels (whose texture is also what the exemplar's
	// misfit is read against).
	margin := max(8*patchRadius, max(c.box.Dx(), c.box.Dy())/2)
	source := c.box.Inset(-margin).Intersect(img.Rect)
	region := c.box.Inset(-clusterRing).Intersect(img.Rect)
	w, h := region.Dx(), region.Dy()
	smooth := newField(w, h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			i := y*w + x
			o := img.PixOffset(region.Min.X+x, region.Min.Y+y)
			smooth.fixed[i] = mask.Pix[mask.PixOffset(region.Min.X+x, region.Min.Y+y)] == 0
			for k := range smooth.c {
				smooth.c[k][i] = float32(img.Pix[o+k])
			}
		}
	}
	solveMembrane(smooth)
	if err := p.step(from + 0.1*(to-from)); err != nil {
		return region, nil, err
	}
	if c.area < minExemplar || max(c.box.Dx(), c.box.Dy()) < 4*patchRadius {
		return region, smooth, nil
	}
	ex, err := exemplarField(p, img, mask, source, region, seed, from+0.1*(to-from), from+0.9*(to-from), exemplarMaxPixels)
	if err != nil {
		return region, nil, err
	}
	if ex == nil {
		return region, smooth, nil
	}
	// The exemplar's own membrane: its values on the hole's inner edge
	// carried out to the fixed pixels that touch the hole, then solved.
	own := newField(w, h)
	copy(own.fixed, smooth.fixed)
	for i, fixed := range own.fixed {
		if !fixed {
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
			if nx < 0 || ny < 0 || nx >= w || ny >= h || own.fixed[ny*w+nx] {
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
	const gain = detailGain
	// Where the patches match their sources closely (a regular texture, a
	// repeated pattern) the copies are trusted whole; where they match
	// poorly, as on most of a photograph, the membrane carries the tones.
	rel := ex.misfit / (patchVariance(smooth) + 1)
	trust := float32(min(1, max(0, (trustMisfit-rel)/(trustMisfit-trustFull))))
	low := lowBlend + (1-lowBlend)*trust
	if debugMisfit {
		println("misfit", rel, ex.misfit, "trust", trust)
	}
	// The exemplar's difference from its own membrane (D), on top of the
	// picture's membrane.
	for k := range ex.c {
		d := ex.c[k]
		for i, fixed := range smooth.fixed {
			if fixed {
				d[i] = 0
			} else {
				d[i] -= own.c[k][i]
			}
		}
	}
	own = nil // (memory: a 12 MP fill holds few planes at once)
	// The fine detail (D minus its binomial blur) is kept where it is
	// strong (textured content) and faded where it is faint: energy is
	// the local mean of its square. The blurs are made twice, once for the
	// energy and once to apply, to hold one plane at a time.
	energy := make([]float32, w*h)
	for k := range ex.c {
		fine := binomialBlur(ex.c[k], w, h)
		for i, f := range fine {
			v := ex.c[k][i] - f
			energy[i] += v * v / 3
		}
	}
	energy = binomialBlur(binomialBlur(energy, w, h), w, h)
	for k := range ex.c {
		fine := binomialBlur(ex.c[k], w, h)
		for i, fixed := range smooth.fixed {
			if fixed {
				continue
			}
			g := max(gain*energy[i]/(energy[i]+detailKnee), trust)
			smooth.c[k][i] += low*fine[i] + g*(ex.c[k][i]-fine[i])
		}
	}
	return region, smooth, p.step(to)
}

// binomialBlur is v (w×h) blurred by the 3×3 binomial kernel (1 2 1 by
// 1 2 1, σ ≈ 0.7): v minus it is the finest octave of detail.
func binomialBlur(v []float32, w, h int) []float32 {
	tmp := make([]float32, len(v))
	out := make([]float32, len(v))
	for y := 0; y < h; y++ {
		row := v[y*w : (y+1)*w]
		for x := range row {
			l, r := row[max(x-1, 0)], row[min(x+1, w-1)]
			tmp[y*w+x] = (l + 2*row[x] + r) / 4
		}
	}
	for y := 0; y < h; y++ {
		up, down := max(y-1, 0), min(y+1, h-1)
		for x := 0; x < w; x++ {
			out[y*w+x] = (tmp[up*w+x] + 2*tmp[y*w+x] + tmp[down*w+x]) / 4
		}
	}
	return out
}

var debugMisfit = false

// patchVariance is the mean variance of the luminance of the fixed pixels
// of f around its local mean (a Gaussian of patch size): how much a patch
// near the hole varies, the scale against which a match's misfit is read.
func patchVariance(f *field) float64 {
	luma := make([]float32, f.w*f.h)
	for i := range luma {
		luma[i] = 0.299*f.c[0][i] + 0.587*f.c[1][i] + 0.114*f.c[2][i]
	}
	blurred := make([]float32, len(luma))
	copy(blurred, luma)
	gaussBlur(blurred, f.w, f.h, patchRadius)
	var sum, n float64
	for i, fixed := range f.fixed {
		if fixed {
			d := float64(luma[i] - blurred[i])
			sum += d * d
			n++
		}
	}
	return sum / max(n, 1)
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
