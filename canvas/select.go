package canvas

import (
	"cmp"
	"image"
	"math"
	"slices"
)

// SelectionMode is how a selection combines with the mask.
type SelectionMode int

// The selection modes, as in Photoshop: a plain drag replaces the mask,
// Shift adds to it, Alt subtracts from it.
const (
	SelectReplace SelectionMode = iota
	SelectAdd
	SelectSubtract
)

// String names the mode for people.
func (s SelectionMode) String() string {
	switch s {
	case SelectAdd:
		return "Add"
	case SelectSubtract:
		return "Subtract"
	}
	return "Replace"
}

// Point is a position in image coordinates: pixel (x, y) covers the square
// [x, x+1)×[y, y+1), so its centre is (x+0.5, y+0.5).
type Point struct{ X, Y float64 }

// MaxSelectionFeather is the largest feather, in pixels, a selection
// accepts (larger values are clamped).
const MaxSelectionFeather = 100

// A selection covers a pixel when the pixel's centre is inside the shape
// (no antialiasing: the edges are hard unless feathered). Polygons use the
// non-zero winding rule, so a lasso loop that crosses itself still selects
// everything it encloses.

// SelectPolygon selects the inside of the polygon pts (closed from the last
// point back to the first) and combines it with the mask by mode, as one
// undo step. feather > 0 softens the selection's edge by about that many
// pixels first, as Feather does. It reports whether the mask changed.
func (m *Mask) SelectPolygon(pts []Point, mode SelectionMode, feather int) bool {
	return m.selectShape(newPolygon(pts), mode, feather)
}

// SelectRect selects the rectangle between two corners (see SelectPolygon).
func (m *Mask) SelectRect(a, b Point, mode SelectionMode, feather int) bool {
	return m.SelectPolygon([]Point{a, {b.X, a.Y}, b, {a.X, b.Y}}, mode, feather)
}

// SelectEllipse selects the ellipse inscribed in the rectangle between two
// corners (see SelectPolygon).
func (m *Mask) SelectEllipse(a, b Point, mode SelectionMode, feather int) bool {
	return m.selectShape(&ellipse{
		cx: (a.X + b.X) / 2, cy: (a.Y + b.Y) / 2,
		rx: math.Abs(b.X-a.X) / 2, ry: math.Abs(b.Y-a.Y) / 2,
	}, mode, feather)
}

// span is a run [x0, x1) of selected pixels on one row.
type span struct{ x0, x1 int }

// shape is what the rasteriser fills: its pixel bounds, and the spans of
// each row, asked for rows in increasing order.
type shape interface {
	bounds() image.Rectangle
	spans(y int, dst []span) []span
}

// polygon rasterises with an active edge table.
type polygon struct {
	edges  []edge // sorted by y0
	next   int    // first edge not yet active
	active []int
	box    image.Rectangle
	xs     []crossing
}

type edge struct {
	x0, y0, x1, y1 float64 // y0 < y1
	dir            int     // +1 downward in the original order, -1 upward
}

type crossing struct {
	x   float64
	dir int
}

func newPolygon(pts []Point) *polygon {
	p := &polygon{}
	if len(pts) < 3 {
		return p
	}
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for i, a := range pts {
		b := pts[(i+1)%len(pts)]
		minX, maxX = min(minX, a.X), max(maxX, a.X)
		minY, maxY = min(minY, a.Y), max(maxY, a.Y)
		switch {
		case a.Y < b.Y:
			p.edges = append(p.edges, edge{a.X, a.Y, b.X, b.Y, 1})
		case a.Y > b.Y:
			p.edges = append(p.edges, edge{b.X, b.Y, a.X, a.Y, -1})
		}
	}
	slices.SortFunc(p.edges, func(a, b edge) int { return cmp.Compare(a.y0, b.y0) })
	p.box = image.Rect(int(math.Floor(minX)), int(math.Floor(minY)), int(math.Ceil(maxX))+1, int(math.Ceil(maxY))+1)
	return p
}

func (p *polygon) bounds() image.Rectangle { return p.box }

// spans finds where the row's centre line crosses the edges (an edge holds
// the rows whose centre is in [y0, y1), so a vertex is counted once) and
// keeps the stretches where the winding number is not zero.
func (p *polygon) spans(y int, dst []span) []span {
	yc := float64(y) + 0.5
	for p.next < len(p.edges) && p.edges[p.next].y0 <= yc {
		p.active = append(p.active, p.next)
		p.next++
	}
	p.xs = p.xs[:0]
	kept := p.active[:0]
	for _, i := range p.active {
		e := &p.edges[i]
		if e.y1 <= yc {
			continue // finished
		}
		kept = append(kept, i)
		p.xs = append(p.xs, crossing{e.x0 + (yc-e.y0)*(e.x1-e.x0)/(e.y1-e.y0), e.dir})
	}
	p.active = kept
	slices.SortFunc(p.xs, func(a, b crossing) int { return cmp.Compare(a.x, b.x) })
	wind := 0
	for i, c := range p.xs {
		was := wind
		wind += c.dir
		if was == 0 && wind != 0 {
			dst = append(dst, span{x0: pixelFrom(c.x)})
		} else if was != 0 && wind == 0 {
			dst[len(dst)-1].x1 = pixelFrom(p.xs[i].x)
		}
	}
	return dst
}

// pixelFrom is the first pixel whose centre is at or right of x.
func pixelFrom(x float64) int { return int(math.Ceil(x - 0.5)) }

type ellipse struct{ cx, cy, rx, ry float64 }

func (e *ellipse) bounds() image.Rectangle {
	return image.Rect(int(math.Floor(e.cx-e.rx)), int(math.Floor(e.cy-e.ry)), int(math.Ceil(e.cx+e.rx))+1, int(math.Ceil(e.cy+e.ry))+1)
}

// spans selects the pixels whose centre satisfies
// ((x-cx)/rx)² + ((y-cy)/ry)² < 1.
func (e *ellipse) spans(y int, dst []span) []span {
	if e.rx <= 0 || e.ry <= 0 {
		return dst
	}
	dy := (float64(y) + 0.5 - e.cy) / e.ry
	if dy*dy >= 1 {
		return dst
	}
	half := e.rx * math.Sqrt(1-dy*dy)
	x0, x1 := e.cx-half, e.cx+half
	// Half-open on both sides: a centre exactly on the ellipse is out.
	a, b := int(math.Floor(x0-0.5))+1, int(math.Ceil(x1-0.5))
	if a < b {
		dst = append(dst, span{a, b})
	}
	return dst
}

// fullTile is a read-only tile of 255: the selection of a tile the shape
// covers entirely, shared rather than allocated.
var fullTile = func() []uint8 {
	t := make([]uint8, TileSize*TileSize)
	for i := range t {
		t[i] = 255
	}
	return t
}()

func isFullTile(t []uint8) bool { return len(t) > 0 && &t[0] == &fullTile[0] }

// rasterise fills the shape into tiles laid out as the mask's, one band of
// tile rows at a time: nil where nothing is selected, fullTile where all is.
func (m *Mask) rasterise(sh shape) [][]uint8 {
	sel := make([][]uint8, len(m.tiles))
	area := sh.bounds().Intersect(image.Rect(0, 0, m.w, m.h))
	if area.Empty() {
		return sel
	}
	rows := make([][]span, TileSize)
	for ty := area.Min.Y / TileSize; ty <= (area.Max.Y-1)/TileSize; ty++ {
		band := image.Rect(0, ty*TileSize, m.w, min((ty+1)*TileSize, m.h)).Intersect(area)
		for y := band.Min.Y; y < band.Max.Y; y++ {
			r := sh.spans(y, rows[y-ty*TileSize][:0])
			// Clip to the image.
			k := 0
			for _, s := range r {
				s.x0, s.x1 = max(s.x0, 0), min(s.x1, m.w)
				if s.x0 < s.x1 {
					r[k] = s
					k++
				}
			}
			rows[y-ty*TileSize] = r[:k]
		}
		for tx := area.Min.X / TileSize; tx <= (area.Max.X-1)/TileSize; tx++ {
			i := ty*m.cols + tx
			sel[i] = fillTile(m.tileRect(i), band, rows)
		}
	}
	return sel
}

// fillTile makes the selection tile for tile rectangle tr from the spans of
// the rows of band (rows[0] is the tile row's first).
func fillTile(tr, band image.Rectangle, rows [][]span) []uint8 {
	full := tr.Dx() == TileSize && tr.Dy() == TileSize && band.Min.Y == tr.Min.Y && band.Max.Y == tr.Max.Y
	some := false
	for y := band.Min.Y; y < band.Max.Y; y++ {
		covered := false
		for _, s := range rows[y-tr.Min.Y] {
			if s.x0 < tr.Max.X && s.x1 > tr.Min.X {
				some = true
				if s.x0 <= tr.Min.X && s.x1 >= tr.Max.X {
					covered = true
				}
			}
		}
		full = full && covered
	}
	switch {
	case full:
		return fullTile
	case !some:
		return nil
	}
	t := make([]uint8, TileSize*TileSize)
	for y := band.Min.Y; y < band.Max.Y; y++ {
		row := t[(y-tr.Min.Y)*TileSize:]
		for _, s := range rows[y-tr.Min.Y] {
			a, b := max(s.x0, tr.Min.X)-tr.Min.X, min(s.x1, tr.Max.X)-tr.Min.X
			if a < b {
				copy(row[a:b], fullTile)
			}
		}
	}
	return t
}

// selectShape rasterises sh, feathers it, and combines it with the mask as
// one undo step.
func (m *Mask) selectShape(sh shape, mode SelectionMode, feather int) bool {
	if m.stroke != nil {
		m.EndStroke()
	}
	return m.combine(m.rasterise(sh), mode, feather)
}

// SelectGray selects the pixels of sel, a Gray image in the mask's
// coordinates (255 selected, 0 not, between partly; the mask's pixels
// outside sel's bounds are not selected), and combines it with the mask by
// mode as one undo step, after softening its edge by feather pixels (see
// SelectPolygon). It reports whether the mask changed.
func (m *Mask) SelectGray(sel *image.Gray, mode SelectionMode, feather int) bool {
	if m.stroke != nil {
		m.EndStroke()
	}
	tiles := make([][]uint8, len(m.tiles))
	for i := range tiles {
		tr := m.tileRect(i)
		r := tr.Intersect(sel.Rect)
		if r.Empty() {
			continue
		}
		t := make([]uint8, TileSize*TileSize)
		some, all := false, r == tr && tr.Dx() == TileSize && tr.Dy() == TileSize
		for y := r.Min.Y; y < r.Max.Y; y++ {
			src := sel.Pix[sel.PixOffset(r.Min.X, y):][:r.Dx()]
			copy(t[(y-tr.Min.Y)*TileSize+r.Min.X-tr.Min.X:], src)
			for _, v := range src {
				some = some || v != 0
				all = all && v == 255
			}
		}
		switch {
		case all:
			tiles[i] = fullTile
		case some:
			tiles[i] = t
		}
	}
	return m.combine(tiles, mode, feather)
}

// combine feathers the selection tiles sel and combines them with the mask
// by mode, as one undo step.
func (m *Mask) combine(sel [][]uint8, mode SelectionMode, feather int) bool {
	if feather = min(feather, MaxSelectionFeather); feather > 0 {
		sel = m.featherTiles(sel, feather)
	}
	m.begin()
	for i, s := range sel {
		old := m.tiles[i]
		switch {
		case mode == SelectReplace && s == nil:
			if old != nil {
				m.touch(i)
				m.tiles[i] = nil
			}
		case mode == SelectReplace || mode == SelectAdd && (old == nil || isFullTile(s)):
			if s != nil && (old == nil || string(old) != string(s)) {
				copy(m.tileFor(i), s)
			}
		case mode == SelectAdd:
			if s != nil {
				d := m.tileFor(i)
				for k, v := range s {
					d[k] = max(d[k], v)
				}
			}
		case mode == SelectSubtract:
			if s == nil || old == nil {
				continue
			}
			if isFullTile(s) {
				m.touch(i)
				m.tiles[i] = nil
				continue
			}
			d := m.tileFor(i)
			for k, v := range s {
				d[k] = min(d[k], 255-v)
			}
		}
	}
	return m.commit()
}
