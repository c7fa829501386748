// Package canvas is the mask-painting widget and its image model: a
// tile-based 8-bit mask with brush, eraser, selections (lasso, polygonal
// lasso, rectangle and ellipse, filled tile by tile; an object's mask from
// a box, through package segment), whole-mask operations and an undo
// history of compressed tiles kept within a byte budget, and an Editor
// widget that shows it as a coloured overlay over a large photo, rendering
// only what is visible at the current zoom.
//
// Each tool is a ToolHandler in its own file (tool*.go), registered in
// tool.go's list; the Editor keeps the document and hands the tool in hand
// its pointer and key events through a ToolHost.
//
// It has no network access and no application state.
package canvas

import (
	"image"
)

// TileSize is the side of a mask tile in pixels.
const TileSize = 256

// Mask is an 8-bit mask stored in TileSize×TileSize tiles: 255 means "the
// model may paint here", 0 means "keep". A tile that was never painted is
// nil and reads as 0, so an empty 24 MP mask costs almost nothing.
type Mask struct {
	w, h       int
	cols, rows int
	tiles      [][]uint8
	// saved[i] is tile i's current content compressed, when a history step
	// holds it (nil when unknown or empty): the next change of the tile
	// shares it as its "before" instead of compressing the tile again.
	saved   []*ctile
	touched map[int]*ctile // tile index → compressed state before the open change
	hist    history
	stroke  *strokeState
}

// NewMask returns an empty w×h mask.
func NewMask(w, h int) *Mask {
	cols, rows := (w+TileSize-1)/TileSize, (h+TileSize-1)/TileSize
	return &Mask{w: w, h: h, cols: cols, rows: rows, tiles: make([][]uint8, cols*rows), saved: make([]*ctile, cols*rows)}
}

// Size is the mask's size in pixels.
func (m *Mask) Size() image.Point { return image.Pt(m.w, m.h) }

// At returns the value at (x, y); outside the mask it is 0.
func (m *Mask) At(x, y int) uint8 {
	if x < 0 || y < 0 || x >= m.w || y >= m.h {
		return 0
	}
	t := m.tiles[(y/TileSize)*m.cols+x/TileSize]
	if t == nil {
		return 0
	}
	return t[(y%TileSize)*TileSize+x%TileSize]
}

// tileFor returns tile i for writing, allocating it and recording its
// previous state for undo.
func (m *Mask) tileFor(i int) []uint8 {
	m.touch(i)
	if m.tiles[i] == nil {
		m.tiles[i] = make([]uint8, TileSize*TileSize)
	}
	return m.tiles[i]
}

// tileRect is the pixel rectangle of tile i, clipped to the mask.
func (m *Mask) tileRect(i int) image.Rectangle {
	x, y := (i%m.cols)*TileSize, (i/m.cols)*TileSize
	return image.Rect(x, y, min(x+TileSize, m.w), min(y+TileSize, m.h))
}

// tilesIn calls fn for each tile overlapping r (clipped to the mask).
func (m *Mask) tilesIn(r image.Rectangle, fn func(i int, tr image.Rectangle)) {
	r = r.Intersect(image.Rect(0, 0, m.w, m.h))
	if r.Empty() {
		return
	}
	for ty := r.Min.Y / TileSize; ty <= (r.Max.Y-1)/TileSize; ty++ {
		for tx := r.Min.X / TileSize; tx <= (r.Max.X-1)/TileSize; tx++ {
			i := ty*m.cols + tx
			fn(i, m.tileRect(i).Intersect(r))
		}
	}
}

// Gray returns the whole mask as an image (white = paint).
func (m *Mask) Gray() *image.Gray {
	out := image.NewGray(image.Rect(0, 0, m.w, m.h))
	for i, t := range m.tiles {
		if t == nil {
			continue
		}
		r := m.tileRect(i)
		for y := r.Min.Y; y < r.Max.Y; y++ {
			copy(out.Pix[y*out.Stride+r.Min.X:y*out.Stride+r.Max.X], t[(y-r.Min.Y)*TileSize:(y-r.Min.Y)*TileSize+r.Dx()])
		}
	}
	return out
}

// setGray replaces the mask with g (same size), tile by tile, writing only
// tiles whose content changes.
func (m *Mask) setGray(g *image.Gray) {
	var buf [TileSize * TileSize]uint8
	for i := range m.tiles {
		r := m.tileRect(i)
		clear(buf[:])
		zero := true
		for y := r.Min.Y; y < r.Max.Y; y++ {
			row := g.Pix[g.PixOffset(r.Min.X, y) : g.PixOffset(r.Min.X, y)+r.Dx()]
			copy(buf[(y-r.Min.Y)*TileSize:], row)
			if zero {
				for _, v := range row {
					if v != 0 {
						zero = false
						break
					}
				}
			}
		}
		old := m.tiles[i]
		switch {
		case zero && old == nil:
			continue
		case old != nil && string(old) == string(buf[:]):
			continue
		}
		m.touch(i)
		if zero {
			m.tiles[i] = nil
		} else {
			m.tiles[i] = append([]uint8(nil), buf[:]...)
		}
	}
}

// Bounds is the bounding box of non-zero pixels (empty when the mask is).
func (m *Mask) Bounds() image.Rectangle {
	var b image.Rectangle
	for i, t := range m.tiles {
		if t == nil {
			continue
		}
		r := m.tileRect(i)
		for y := r.Min.Y; y < r.Max.Y; y++ {
			row := t[(y-r.Min.Y)*TileSize : (y-r.Min.Y)*TileSize+r.Dx()]
			first, last := -1, -1
			for x, v := range row {
				if v != 0 {
					if first < 0 {
						first = x
					}
					last = x
				}
			}
			if first >= 0 {
				b = b.Union(image.Rect(r.Min.X+first, y, r.Min.X+last+1, y+1))
			}
		}
	}
	return b
}

// IsEmpty reports whether no pixel is set.
func (m *Mask) IsEmpty() bool { return m.Bounds().Empty() }

// AllocatedTiles counts tiles holding memory (for tests and benchmarks).
func (m *Mask) AllocatedTiles() int {
	n := 0
	for _, t := range m.tiles {
		if t != nil {
			n++
		}
	}
	return n
}
