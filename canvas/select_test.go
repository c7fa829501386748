package canvas

import (
	"bytes"
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// windingNumber is the reference point-in-polygon test: the number of times
// the polygon winds around p (non-zero means inside).
func windingNumber(poly []Point, p Point) int {
	wn := 0
	for i, a := range poly {
		b := poly[(i+1)%len(poly)]
		side := (b.X-a.X)*(p.Y-a.Y) - (p.X-a.X)*(b.Y-a.Y)
		switch {
		case a.Y <= p.Y && b.Y > p.Y && side > 0:
			wn++
		case a.Y > p.Y && b.Y <= p.Y && side < 0:
			wn--
		}
	}
	return wn
}

// star is a self-intersecting five-pointed star {5/2} centred at (cx, cy):
// its middle pentagon is wound twice, a test of the non-zero rule.
func star(cx, cy, r float64) []Point {
	pts := make([]Point, 5)
	for i := range pts {
		a := -math.Pi/2 + float64(i)*4*math.Pi/5
		pts[i] = Point{cx + r*math.Cos(a), cy + r*math.Sin(a)}
	}
	return pts
}

// inEllipse is the reference for an ellipse in the box between a and b.
func inEllipse(a, b, p Point) bool {
	cx, cy := (a.X+b.X)/2, (a.Y+b.Y)/2
	rx, ry := math.Abs(b.X-a.X)/2, math.Abs(b.Y-a.Y)/2
	dx, dy := (p.X-cx)/rx, (p.Y-cy)/ry
	return dx*dx+dy*dy < 1
}

// checkAgainst compares every pixel of m with want(pixel centre) and
// reports the first differences.
func checkAgainst(t *testing.T, m *Mask, want func(p Point) bool) {
	t.Helper()
	bad := 0
	for y := range m.h {
		for x := range m.w {
			in := want(Point{float64(x) + 0.5, float64(y) + 0.5})
			if got := m.At(x, y); (got == 255) != in || (got != 0 && got != 255) {
				if bad++; bad <= 5 {
					t.Errorf("pixel (%d,%d) = %d, reference inside=%v", x, y, got, in)
				}
			}
		}
	}
	if bad > 5 {
		t.Errorf("%d pixels differ in all", bad)
	}
}

func TestSelectionRasterisesLikeTheReference(t *testing.T) {
	cases := []struct {
		name   string
		w, h   int
		sel    func(m *Mask) bool
		inside func(p Point) bool
	}{
		{"star across tiles", 700, 600, func(m *Mask) bool { return m.SelectPolygon(star(333.3, 301.7, 280.2), SelectReplace, 0) },
			func(p Point) bool { return windingNumber(star(333.3, 301.7, 280.2), p) != 0 }},
		{"star past the image's edges", 300, 260, func(m *Mask) bool { return m.SelectPolygon(star(140.1, 150.3, 220.7), SelectReplace, 0) },
			func(p Point) bool { return windingNumber(star(140.1, 150.3, 220.7), p) != 0 }},
		{"ellipse", 700, 600, func(m *Mask) bool { return m.SelectEllipse(Point{41.3, 522.9}, Point{655.7, 17.2}, SelectReplace, 0) },
			func(p Point) bool { return inEllipse(Point{41.3, 522.9}, Point{655.7, 17.2}, p) }},
		{"small ellipse", 100, 100, func(m *Mask) bool { return m.SelectEllipse(Point{10.2, 20.9}, Point{17.1, 23.3}, SelectReplace, 0) },
			func(p Point) bool { return inEllipse(Point{10.2, 20.9}, Point{17.1, 23.3}, p) }},
		{"rectangle dragged up-left", 600, 600, func(m *Mask) bool { return m.SelectRect(Point{530.4, 511.6}, Point{12.7, 250.2}, SelectReplace, 0) },
			func(p Point) bool { return p.X >= 12.7 && p.X < 530.4 && p.Y >= 250.2 && p.Y < 511.6 }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := NewMask(tc.w, tc.h)
			if !tc.sel(m) {
				t.Fatal("the selection changed nothing")
			}
			checkAgainst(t, m, tc.inside)
		})
	}
}

func TestSelectionModesAndUndo(t *testing.T) {
	a, b := Point{20.5, 20.5}, Point{120.5, 80.5} // pixels 20..119 × 20..79
	c, d := Point{100.5, 60.5}, Point{200.5, 150.5}
	inA := func(x, y int) bool { return x >= 20 && x < 120 && y >= 20 && y < 80 }
	inC := func(x, y int) bool { return x >= 100 && x < 200 && y >= 60 && y < 150 }
	dot := func(x, y int) bool { return math.Hypot(float64(x)+0.5-250, float64(y)+0.5-200) <= 10 } // the brush's disc
	cases := []struct {
		mode SelectionMode
		want func(x, y int) bool
	}{
		{SelectReplace, inC},
		{SelectAdd, func(x, y int) bool { return inA(x, y) || inC(x, y) || dot(x, y) }},
		{SelectSubtract, func(x, y int) bool { return (inA(x, y) || dot(x, y)) && !inC(x, y) }},
	}
	for _, tc := range cases {
		t.Run(tc.mode.String(), func(t *testing.T) {
			m := NewMask(300, 300)
			mustPaint(t, m, Brush{Size: 20, Hardness: 1}, [2]float64{250, 200})
			m.SelectRect(a, b, SelectAdd, 0)
			before := bytes.Clone(m.Gray().Pix)
			steps := m.UndoSteps()
			if !m.SelectRect(c, d, tc.mode, 0) {
				t.Fatal("no change")
			}
			for y := range 300 {
				for x := range 300 {
					if got, want := m.At(x, y) == 255, tc.want(x, y); got != want {
						t.Fatalf("(%d,%d): selected %v, want %v", x, y, got, want)
					}
				}
			}
			if m.UndoSteps() != steps+1 {
				t.Errorf("%d steps for one selection", m.UndoSteps()-steps)
			}
			m.Undo()
			if !bytes.Equal(m.Gray().Pix, before) {
				t.Error("undo did not restore the mask")
			}
			if m.SelectRect(c, d, tc.mode, 0); m.SelectRect(c, d, tc.mode, 0) {
				t.Error("repeating the same selection counted as a change")
			}
		})
	}
}

func TestSelectionFeather(t *testing.T) {
	m := NewMask(600, 600)
	m.SelectRect(Point{100, 100}, Point{500, 500}, SelectReplace, 8)
	cases := []struct {
		x, y     int
		min, max uint8
	}{
		{300, 300, 255, 255}, // deep inside
		{20, 20, 0, 0},       // far outside
		{100, 300, 90, 165},  // on the edge: about half
		{96, 300, 10, 120},   // just outside: some
		{104, 300, 135, 250}, // just inside: not all
		{256, 104, 135, 250}, // the edge across a tile boundary
	}
	for _, tc := range cases {
		if v := m.At(tc.x, tc.y); v < tc.min || v > tc.max {
			t.Errorf("(%d,%d) = %d, want %d..%d", tc.x, tc.y, v, tc.min, tc.max)
		}
	}
	for x := 60; x < 140; x++ {
		if m.At(x, 300) < m.At(x-1, 300) {
			t.Fatalf("the feathered edge is not monotonic at x=%d", x)
		}
	}
	// Feathering a selection reaching the image's edge keeps the edge selected.
	m = NewMask(300, 300)
	m.SelectRect(Point{-10, -10}, Point{150, 150}, SelectReplace, 8)
	if m.At(0, 0) != 255 || m.At(0, 100) != 255 {
		t.Errorf("the image's corner faded to %d", m.At(0, 0))
	}
}

// BenchmarkSelectPolygon24MP fills a 40-vertex polygon covering most of a
// 24 MP mask that already has some strokes, replacing it: the whole
// selection including its undo step.
func BenchmarkSelectPolygon24MP(b *testing.B) {
	rng := rand.New(rand.NewPCG(5, 6))
	poly := make([]Point, 40)
	for i := range poly {
		a := float64(i) * 2 * math.Pi / 40
		r := 0.85 + 0.15*rng.Float64()
		poly[i] = Point{3000 + 3100*r*math.Cos(a), 2000 + 2100*r*math.Sin(a)}
	}
	m := NewMask(6000, 4000)
	for _, s := range wanderingStrokes(20, 6000, 4000, 9) {
		mustPaint(b, m, Brush{Size: 300, Hardness: 0.8}, s...)
	}
	var total time.Duration
	for b.Loop() {
		t0 := time.Now()
		if !m.SelectPolygon(poly, SelectReplace, 0) {
			b.Fatal("the selection changed nothing")
		}
		total += time.Since(t0)
		m.Undo()
	}
	area := 0
	m.SelectPolygon(poly, SelectReplace, 0)
	for _, t := range m.tiles {
		if t != nil {
			area += bytes.Count(t, []byte{255})
		}
	}
	if area < 6000*4000/2 {
		b.Fatalf("the polygon covers only %d pixels", area)
	}
	b.ReportMetric(float64(area)/(6000*4000)*100, "%-covered")
	m.Undo()
	t0 := time.Now()
	m.SelectPolygon(poly, SelectReplace, 16)
	b.ReportMetric(float64(time.Since(t0).Microseconds())/1e3, "ms-feathered-16px")
	goal(b, "select-polygon-40-24mp", float64(total.Microseconds())/float64(b.N)/1e3, "ms", "<=", 50)
}

// TestSelectionOverWholeTiles covers the tiles a selection covers entirely
// (shared, not allocated) in each mode.
func TestSelectionOverWholeTiles(t *testing.T) {
	big := [2]Point{{-5, -5}, {600, 300}} // tiles 0 and 1 of the first row whole
	cases := []struct {
		name  string
		start func(m *Mask)
		mode  SelectionMode
		want  func(x, y int) uint8
	}{
		{"replace", func(m *Mask) { m.Fill() }, SelectReplace, func(x, y int) uint8 { return 255 * b2u(y < 300) }},
		{"add", func(m *Mask) { m.SelectRect(Point{0, 250}, Point{700, 700}, SelectReplace, 0) }, SelectAdd, func(x, y int) uint8 { return 255 }},
		{"subtract", func(m *Mask) { m.Fill() }, SelectSubtract, func(x, y int) uint8 { return 255 * b2u(y >= 300) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := NewMask(600, 600)
			tc.start(m)
			if !m.SelectRect(big[0], big[1], tc.mode, 0) {
				t.Fatal("no change")
			}
			for y := range 600 {
				for x := range 600 {
					if got, want := m.At(x, y), tc.want(x, y); got != want {
						t.Fatalf("(%d,%d) = %d, want %d", x, y, got, want)
					}
				}
			}
			m.Undo()
			m.Redo()
			if m.At(10, 10) != tc.want(10, 10) || m.At(10, 590) != tc.want(10, 590) {
				t.Error("undo/redo did not give the selection back")
			}
			if bytes.Count(fullTile, []byte{255}) != len(fullTile) {
				t.Fatal("the shared full tile was written to")
			}
		})
	}
}

func b2u(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}
