package canvas

import (
	"image"
	"math"
)

// Brush limits, in image pixels.
const (
	MinBrushSize = 1
	MaxBrushSize = 1000
)

// Brush is how a stroke paints.
type Brush struct {
	Size     float64 // diameter in image pixels, 1–1000
	Hardness float64 // 0 (soft edge over the whole radius) to 1 (hard edge)
	Erase    bool    // clear the mask instead of painting it
}

func (b Brush) clamped() Brush {
	b.Size = min(max(b.Size, MinBrushSize), MaxBrushSize)
	b.Hardness = min(max(b.Hardness, 0), 1)
	return b
}

// strokeState follows an open stroke between dabs.
type strokeState struct {
	brush  Brush
	lastX  float64
	lastY  float64
	carry  float64 // distance walked since the last dab
	bounds image.Rectangle
	dabs   int // dabs stamped so far (for benchmarks)
}

// spacing is the distance between dabs: a tenth of the diameter, so the
// stroke has no gaps however fast the mouse moves.
func (s *strokeState) spacing() float64 { return max(1, s.brush.Size/10) }

// BeginStroke starts a stroke with a dab at (x, y) in image coordinates
// and returns the rectangle of pixels that may have changed.
func (m *Mask) BeginStroke(b Brush, x, y float64) image.Rectangle {
	if m.stroke != nil {
		m.EndStroke()
	}
	m.begin()
	m.stroke = &strokeState{brush: b.clamped(), lastX: x, lastY: y}
	r := m.dab(x, y)
	m.stroke.bounds = r
	return r
}

// StrokeTo continues the open stroke to (x, y), with dabs evenly spaced
// along the segment, and returns the rectangle that may have changed.
func (m *Mask) StrokeTo(x, y float64) image.Rectangle {
	s := m.stroke
	if s == nil {
		return image.Rectangle{}
	}
	dx, dy := x-s.lastX, y-s.lastY
	dist := math.Hypot(dx, dy)
	step := s.spacing()
	var dirty image.Rectangle
	// Walk from the last point; the first dab falls where the previous
	// segment's leftover distance completes a step.
	for t := step - s.carry; t <= dist; t += step {
		dirty = dirty.Union(m.dab(s.lastX+dx*t/dist, s.lastY+dy*t/dist))
		s.carry = dist - t
	}
	if dist > 0 && dirty.Empty() {
		s.carry += dist
	}
	s.lastX, s.lastY = x, y
	s.bounds = s.bounds.Union(dirty)
	return dirty
}

// EndStroke closes the stroke as one undo step and reports whether it
// changed the mask.
func (m *Mask) EndStroke() bool {
	if m.stroke == nil {
		return false
	}
	m.stroke = nil
	return m.commit()
}

// InStroke reports whether a stroke is open.
func (m *Mask) InStroke() bool { return m.stroke != nil }

// dab stamps one brush mark centred at (cx, cy).
func (m *Mask) dab(cx, cy float64) image.Rectangle {
	b := m.stroke.brush
	m.stroke.dabs++
	r := b.Size / 2
	box := image.Rect(int(math.Floor(cx-r)), int(math.Floor(cy-r)), int(math.Ceil(cx+r))+1, int(math.Ceil(cy+r))+1)
	inner := b.Hardness * r // full coverage inside this radius
	r2, inner2 := r*r, inner*inner
	var changed image.Rectangle
	m.tilesIn(box, func(i int, tr image.Rectangle) {
		var tile []uint8
		origin := m.tileRect(i).Min
		for y := tr.Min.Y; y < tr.Max.Y; y++ {
			py := float64(y) + 0.5 - cy
			for x := tr.Min.X; x < tr.Max.X; x++ {
				px := float64(x) + 0.5 - cx
				d2 := px*px + py*py
				if d2 > r2 {
					continue
				}
				cov := 1.0
				if d2 > inner2 {
					t := (math.Sqrt(d2) - inner) / (r - inner)
					cov = 1 - t*t*(3-2*t)
				}
				v := uint8(cov*255 + 0.5)
				if v == 0 {
					continue
				}
				if tile == nil {
					if b.Erase && m.tiles[i] == nil {
						return // nothing to erase in an empty tile
					}
					tile = m.tileFor(i)
				}
				o := (y-origin.Y)*TileSize + x - origin.X
				if b.Erase {
					tile[o] = min(tile[o], 255-v)
				} else {
					tile[o] = max(tile[o], v)
				}
			}
		}
		if tile != nil {
			changed = changed.Union(tr)
		}
	})
	return changed
}
