package canvas

import (
	"bytes"
	"compress/flate"
	"image"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/zeninpaint/studio/client/clienttest"
)

// A 6000×4000 (24 MP) photo, the size the canvas must feel instant on.
func photo24() *image.NRGBA { return clienttest.Photo(6000, 4000) }

// goal reports a benchmark's stated goal as a metric and prints it once, in
// the form a summary script collects:
//
//	GOAL <name> <value> <unit> <op> <target> <met|MISSED>
func goal(b *testing.B, name string, value float64, unit, op string, target float64) {
	b.Helper()
	clienttest.Goal(b, name, value, unit, op, target)
}

// mustPaint paints a stroke and fails when it changed nothing (a broken
// setup would otherwise measure nothing).
func mustPaint(tb testing.TB, m *Mask, b Brush, pts ...[2]float64) {
	tb.Helper()
	if !paint(m, b, pts...) {
		tb.Fatalf("the stroke %v changed nothing", pts[:min(len(pts), 3)])
	}
}

// longStroke is a 300 px stroke across a 24 MP mask, about 4190 px long.
func longStroke() (Brush, [][2]float64) {
	pts := [][2]float64{{1000, 1000}}
	for x := 1000.0; x < 5000; x += 40 {
		pts = append(pts, [2]float64{x, 1000 + x/4})
	}
	return Brush{Size: 300, Hardness: 0.7}, pts
}

// BenchmarkStroke24MP paints a 300 px stroke across a 24 MP mask and
// reports the time per dab (the dabs really stamped, timing only
// BeginStroke and StrokeTo), the time EndStroke takes to close the undo
// step, and the bytes that step holds compared with a full copy.
func BenchmarkStroke24MP(b *testing.B) {
	m := NewMask(6000, 4000)
	brush, pts := longStroke()
	var strokeT, commitT time.Duration
	var dabs, undoBytes int64
	for b.Loop() {
		t0 := time.Now()
		m.BeginStroke(brush, pts[0][0], pts[0][1])
		for _, p := range pts[1:] {
			m.StrokeTo(p[0], p[1])
		}
		t1 := time.Now()
		dabs += int64(m.stroke.dabs)
		if !m.EndStroke() {
			b.Fatal("the stroke changed nothing")
		}
		commitT += time.Since(t1)
		strokeT += t1.Sub(t0)
		undoBytes = m.HistoryBytes()
		if !m.Undo() {
			b.Fatal("nothing to undo")
		}
	}
	n := float64(b.N)
	b.ReportMetric(float64(strokeT.Nanoseconds())/float64(dabs)/1e3, "µs/dab")
	b.ReportMetric(float64(dabs)/n, "dabs/stroke")
	b.ReportMetric(float64(commitT.Microseconds())/n/1e3, "ms-end-stroke")
	b.ReportMetric(float64(undoBytes)/(1<<20), "MiB-undo-step")
	b.ReportMetric(float64(6000*4000)/float64(undoBytes), "full-copy/undo-step")
}

// BenchmarkDabCostIndependentOfImageSize stamps the same dabs on a 1K and
// an 8K mask, alternating, and compares the time per dab: a dab must cost
// what its brush covers, not what the image holds.
func BenchmarkDabCostIndependentOfImageSize(b *testing.B) {
	type size struct {
		name string
		m    *Mask
		t    time.Duration
		dabs int
	}
	sizes := []*size{{name: "1K", m: NewMask(1024, 1024)}, {name: "8K", m: NewMask(7680, 4320)}}
	brush := Brush{Size: 100, Hardness: 0.8}
	for b.Loop() {
		for _, s := range sizes {
			cx, cy := float64(s.m.w)/2, float64(s.m.h)/2
			t0 := time.Now()
			s.m.BeginStroke(brush, cx-200, cy)
			for x := cx - 200; x <= cx+200; x += 25 {
				s.m.StrokeTo(x, cy+float64(int(x)%50))
			}
			s.t += time.Since(t0)
			s.dabs += s.m.stroke.dabs
			if !s.m.EndStroke() || !s.m.Undo() {
				b.Fatalf("%s: the stroke changed nothing", s.name)
			}
		}
	}
	per := func(s *size) float64 { return float64(s.t.Nanoseconds()) / float64(s.dabs) / 1e3 }
	b.ReportMetric(per(sizes[0]), "µs/dab-1K")
	b.ReportMetric(per(sizes[1]), "µs/dab-8K")
	goal(b, "dab-8k-vs-1k", per(sizes[1])/per(sizes[0]), "ratio", "<=", 1.5)
}

// wanderingStrokes are n ordinary strokes of a 300 px brush: short paths
// (5 to 12 segments of 20 to 60 px) that wander from random points of a
// w×h mask, always the same for a seed.
func wanderingStrokes(n, w, h int, seed uint64) [][][2]float64 {
	rng := rand.New(rand.NewPCG(seed, 1))
	out := make([][][2]float64, n)
	for i := range out {
		x, y := 200+rng.Float64()*float64(w-400), 200+rng.Float64()*float64(h-400)
		dir := rng.Float64() * 2 * math.Pi
		pts := [][2]float64{{x, y}}
		for range 5 + rng.IntN(8) {
			dir += (rng.Float64() - 0.5) * 1.5
			d := 20 + rng.Float64()*40
			x = min(max(x+d*math.Cos(dir), 0), float64(w))
			y = min(max(y+d*math.Sin(dir), 0), float64(h))
			pts = append(pts, [2]float64{x, y})
		}
		out[i] = pts
	}
	return out
}

// BenchmarkHistory200Strokes paints 200 ordinary strokes on a 24 MP mask
// with no byte limit and reports what the history holds; then checks that
// under the default budget all 200 steps are still there.
func BenchmarkHistory200Strokes(b *testing.B) {
	strokes := wanderingStrokes(200, 6000, 4000, 17)
	brush := Brush{Size: 300, Hardness: 0.8}
	var used, raw int64 // raw: what uncompressed before/after copies would hold
	var steps int
	for b.Loop() {
		m := NewMask(6000, 4000)
		m.SetHistoryBudget(0)
		steps = 0
		for _, s := range strokes {
			if paint(m, brush, s...) {
				steps++ // a stroke over painted pixels changes nothing
			}
		}
		if steps < len(strokes)*9/10 || m.UndoSteps() != steps {
			b.Fatalf("%d steps kept for %d changing strokes of %d", m.UndoSteps(), steps, len(strokes))
		}
		used = m.HistoryBytes()
		raw = 0
		for _, st := range m.hist.undo {
			raw += int64(len(st.changes)) * 2 * TileSize * TileSize
		}
	}
	m := NewMask(6000, 4000)
	for _, s := range strokes {
		paint(m, brush, s...)
	}
	if used <= DefaultHistoryBudget && m.UndoSteps() != steps {
		b.Fatalf("the default budget kept %d of %d steps using %d bytes", m.UndoSteps(), steps, m.HistoryBytes())
	}
	b.ReportMetric(float64(m.UndoSteps()), "steps-kept")
	b.ReportMetric(float64(raw)/(1<<20), "MiB-uncompressed")
	goal(b, "history-200-strokes", float64(used)/(1<<20), "MiB", "<=", 64)
}

// BenchmarkUndoLongStroke times Undo and Redo of the long stroke of
// BenchmarkStroke24MP and reports the slower.
func BenchmarkUndoLongStroke(b *testing.B) {
	m := NewMask(6000, 4000)
	brush, pts := longStroke()
	mustPaint(b, m, Brush{Size: 500, Hardness: 1}, [2]float64{3000, 1500}, [2]float64{3500, 2000})
	mustPaint(b, m, brush, pts...)
	var undoT, redoT time.Duration
	for b.Loop() {
		t0 := time.Now()
		ok := m.Undo()
		t1 := time.Now()
		ok = m.Redo() && ok
		t2 := time.Now()
		if !ok {
			b.Fatal("undo or redo did nothing")
		}
		undoT += t1.Sub(t0)
		redoT += t2.Sub(t1)
	}
	n := time.Duration(b.N)
	b.ReportMetric(float64((undoT/n).Microseconds())/1e3, "ms-undo")
	b.ReportMetric(float64((redoT/n).Microseconds())/1e3, "ms-redo")
	goal(b, "undo-long-stroke", float64(max(undoT, redoT)/n)/1e6, "ms", "<=", 16)
}

// BenchmarkTileCodec compares the history's run-length code with flate at
// its fastest level on the tiles of a real stroke (hard and soft edges),
// the measurement behind the choice of code.
func BenchmarkTileCodec(b *testing.B) {
	m := NewMask(6000, 4000)
	brush, pts := longStroke()
	mustPaint(b, m, brush, pts...)
	var tiles [][]uint8
	for _, t := range m.tiles {
		if t != nil {
			tiles = append(tiles, t)
		}
	}
	raw := len(tiles) * TileSize * TileSize
	b.Run("rle", func(b *testing.B) {
		var n int
		for b.Loop() {
			n = 0
			for _, t := range tiles {
				n += len(encodeTile(t).data)
			}
		}
		b.ReportMetric(float64(raw)/float64(n), "ratio")
		b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*len(tiles)), "µs/tile")
	})
	b.Run("flate-speed", func(b *testing.B) {
		var n int
		var buf bytes.Buffer
		w, err := flate.NewWriter(&buf, flate.BestSpeed)
		if err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			n = 0
			for _, t := range tiles {
				buf.Reset()
				w.Reset(&buf)
				if _, err := w.Write(t); err != nil {
					b.Fatal(err)
				}
				if err := w.Close(); err != nil {
					b.Fatal(err)
				}
				n += buf.Len()
			}
		}
		b.ReportMetric(float64(raw)/float64(n), "ratio")
		b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*len(tiles)), "µs/tile")
	})
}

// BenchmarkFrame24MP renders a 1600×1000 view of a 24 MP photo: a full
// frame at "fit" and at 100 %, and the partial frame after one dab, and
// compares them with compositing the whole photo at full resolution (what
// a naive widget does per stroke).
func BenchmarkFrame24MP(b *testing.B) {
	img := photo24()
	r := &renderer{pyr: newPyramid(img), mask: NewMask(6000, 4000), overlay: DefaultOverlay}
	mustPaint(b, r.mask, Brush{Size: 800, Hardness: 0.5}, [2]float64{3000, 2000}, [2]float64{4000, 2500})
	fit := FitView(6000, 4000, 1600, 1000)
	actual := ActualView(6000, 4000, 1600, 1000)

	naive := func() time.Duration {
		start := time.Now()
		full := &renderer{pyr: pyramid{img}, mask: r.mask, overlay: DefaultOverlay}
		full.render(View{Zoom: 1}, 6000, 4000)
		return time.Since(start)
	}()
	var fitT, actualT, dabT time.Duration
	for b.Loop() {
		t0 := time.Now()
		r.render(fit, 1600, 1000)
		t1 := time.Now()
		r.render(actual, 1600, 1000)
		t2 := time.Now()
		dirty := r.mask.BeginStroke(Brush{Size: 60, Hardness: 1}, 3000, 2000)
		r.mask.EndStroke()
		x0, y0 := actual.ToDevice(float64(dirty.Min.X), float64(dirty.Min.Y))
		x1, y1 := actual.ToDevice(float64(dirty.Max.X), float64(dirty.Max.Y))
		r.redraw(image.Rect(int(x0), int(y0), int(x1)+1, int(y1)+1))
		t3 := time.Now()
		fitT += t1.Sub(t0)
		actualT += t2.Sub(t1)
		dabT += t3.Sub(t2)
	}
	n := time.Duration(b.N)
	b.ReportMetric(float64((fitT/n).Microseconds())/1e3, "ms-frame-fit")
	b.ReportMetric(float64((actualT/n).Microseconds())/1e3, "ms-frame-100%")
	b.ReportMetric(float64((dabT/n).Microseconds())/1e3, "ms-dab+redraw")
	slowest := max(fitT, actualT) / n
	goal(b, "frame-24mp", float64(slowest.Microseconds())/1e3, "ms", "<=", 4)
	goal(b, "frame-vs-naive", float64(naive)/float64(slowest), "x", ">=", 10)
}

// BenchmarkSelectGray24MP times what the object selection does on Fyne's
// goroutine when its segmentation is done: combining a 3400×2600 object
// mask with a 24 MP mask as one undo step.
func BenchmarkSelectGray24MP(b *testing.B) {
	box := image.Rect(1300, 700, 4700, 3300)
	sel := image.NewGray(box)
	for y := box.Min.Y; y < box.Max.Y; y++ {
		for x := box.Min.X; x < box.Max.X; x++ {
			dx, dy := float64(x-3000)/1600, float64(y-2000)/1200
			if dx*dx+dy*dy < 1 {
				sel.Pix[sel.PixOffset(x, y)] = 255
			}
		}
	}
	m := NewMask(6000, 4000)
	for b.Loop() {
		if !m.SelectGray(sel, SelectReplace, 0) {
			b.Fatal("the selection changed nothing")
		}
		m.Undo()
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/1e3, "ms/apply+undo")
}
