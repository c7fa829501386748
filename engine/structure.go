package engine

import (
	"cmp"
	"math"
	"slices"
)

// The structure pass's parameters: an edge is a run of the luminance's
// gradient of at least edgeStrength levels a pixel on the hole's rim; two
// edges are joined across the hole when each points at the other within
// edgeAngle (radians) and the colours on their two sides differ by at most
// edgeColour levels; a joined edge is drawn edgeHalfWidth pixels to each
// side of its line.
const (
	edgeStrength  = 16
	edgeAngle     = 0.15
	edgeColour    = 20
	edgeHalfWidth = 2
	maxEdgePairs  = 12
	// maxEdgeSpan is the longest join, in pixels: across a wider hole a
	// straight line is a guess, and the copies do better (a periodic wall).
	maxEdgeSpan = 96
)

// rimEdge is a strong edge where it meets the hole: its position, the unit
// normal (the gradient's direction) and the gradient's size.
type rimEdge struct {
	x, y, nx, ny, mag float64
}

// drawStructure finds the strong edges that enter the hole (the pixels of
// f that are not fixed) and joins those that can be matched across it —
// each pointing at the other, with the same colours on its two sides — by
// straight bands of those colours, drawn into f and fixed there, so that
// the membrane solved afterwards carries them through the hole (structure
// first, then texture). orig holds the picture's colours (known where f is
// fixed). It returns how many edges were joined.
func drawStructure(f, orig *field) int {
	w, h := f.w, f.h
	hole := f.holeMask()
	near1, near3 := dilate(hole, w, h, 1), dilate(hole, w, h, 3)
	luma := lumaOf(orig.c)
	var edges []rimEdge
	for y := 1; y < h-1; y++ {
		for x := 1; x < w-1; x++ {
			i := y*w + x
			if !near3[i] || near1[i] {
				continue // not on the rim, or its window touches the hole
			}
			gx := (luma[i-w+1] + 2*luma[i+1] + luma[i+w+1] - luma[i-w-1] - 2*luma[i-1] - luma[i+w-1]) / 8
			gy := (luma[i+w-1] + 2*luma[i+w] + luma[i+w+1] - luma[i-w-1] - 2*luma[i-w] - luma[i-w+1]) / 8
			mag := math.Hypot(float64(gx), float64(gy))
			if mag >= edgeStrength {
				edges = append(edges, rimEdge{float64(x), float64(y), float64(gx) / mag, float64(gy) / mag, mag})
			}
		}
	}
	// Keep the strongest in each 5×5 neighbourhood.
	slices.SortFunc(edges, func(a, b rimEdge) int { return cmp.Compare(b.mag, a.mag) })
	var kept []rimEdge
	for _, e := range edges {
		ok := true
		for _, k := range kept {
			if math.Abs(k.x-e.x) <= 2 && math.Abs(k.y-e.y) <= 2 {
				ok = false
				break
			}
		}
		if ok {
			kept = append(kept, e)
		}
	}
	if len(kept) > 200 {
		kept = kept[:200]
	}
	side := func(e rimEdge, s float64) [3]float32 {
		x := min(max(int(math.Round(e.x+s*e.nx)), 0), w-1)
		y := min(max(int(math.Round(e.y+s*e.ny)), 0), h-1)
		j := y*w + x
		return [3]float32{orig.c[0][j], orig.c[1][j], orig.c[2][j]}
	}
	type pair struct {
		a, b  int
		score float64
	}
	var pairs []pair
	cosMax := math.Cos(edgeAngle)
	for a := range kept {
		for b := a + 1; b < len(kept); b++ {
			p, q := kept[a], kept[b]
			dx, dy := q.x-p.x, q.y-p.y
			l := math.Hypot(dx, dy)
			if l < 6 || l > maxEdgeSpan {
				continue
			}
			dx, dy = dx/l, dy/l
			// Each edge runs along the line: its normal is across it.
			if math.Abs(dx*p.ny-dy*p.nx) < cosMax || math.Abs(dx*q.ny-dy*q.nx) < cosMax {
				continue
			}
			if p.nx*q.nx+p.ny*q.ny < cosMax { // the same side bright
				continue
			}
			// The line must cross the hole, not run along known pixels.
			in, n := 0, 0
			for t := 0.0; t <= l; t++ {
				x, y := int(math.Round(p.x+t*dx)), int(math.Round(p.y+t*dy))
				n++
				if hole[y*w+x] {
					in++
				}
			}
			if in < n/2 {
				continue
			}
			var diff float64
			for _, s := range []float64{-2, 2} {
				cp, cq := side(p, s), side(q, s)
				for k := range cp {
					diff = max(diff, math.Abs(float64(cp[k]-cq[k])))
				}
			}
			if diff > edgeColour {
				continue
			}
			pairs = append(pairs, pair{a, b, diff / edgeColour})
		}
	}
	slices.SortFunc(pairs, func(x, y pair) int { return cmp.Compare(x.score, y.score) })
	used := make([]bool, len(kept))
	joined := 0
	for _, pr := range pairs {
		if used[pr.a] || used[pr.b] || joined == maxEdgePairs {
			continue
		}
		used[pr.a], used[pr.b] = true, true
		joined++
		p, q := kept[pr.a], kept[pr.b]
		l := math.Hypot(q.x-p.x, q.y-p.y)
		nx, ny := (p.nx+q.nx)/2, (p.ny+q.ny)/2
		nl := math.Hypot(nx, ny)
		nx, ny = nx/nl, ny/nl
		for t := 0.0; t <= l; t += 0.5 {
			u := t / l
			for s := -float64(edgeHalfWidth); s <= edgeHalfWidth; s += 0.5 {
				x := int(math.Round(p.x + u*(q.x-p.x) + s*nx))
				y := int(math.Round(p.y + u*(q.y-p.y) + s*ny))
				if x < 0 || y < 0 || x >= w || y >= h || !hole[y*w+x] {
					continue
				}
				cp, cq := side(p, s), side(q, s)
				j := y*w + x
				for k := range f.c {
					f.c[k][j] = float32((1-u)*float64(cp[k]) + u*float64(cq[k]))
				}
				f.setFixed(j, true)
			}
		}
	}
	return joined
}

// lumaOf is the luminance of the colour planes c.
func lumaOf(c [3][]float32) []float32 {
	out := make([]float32, len(c[0]))
	for i := range out {
		out[i] = pixelLuma(c, i)
	}
	return out
}

// pixelLuma is the luminance of pixel i of the colour planes c.
func pixelLuma(c [3][]float32, i int) float32 {
	return 0.299*c[0][i] + 0.587*c[1][i] + 0.114*c[2][i]
}
