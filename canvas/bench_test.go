package canvas

import (
	"image"
	"testing"
	"time"

	"github.com/zeninpaint/studio/client/clienttest"
)

// A 6000×4000 (24 MP) photo, the size the canvas must feel instant on.
func photo24() *image.NRGBA { return clienttest.Photo(6000, 4000) }

// BenchmarkStroke24MP paints a 300 px stroke across a 24 MP mask and
// reports the time per dab and the bytes the stroke's undo step holds
// compared with a full copy of the mask.
func BenchmarkStroke24MP(b *testing.B) {
	m := NewMask(6000, 4000)
	var undoBytes int
	dabs := 0
	for b.Loop() {
		m.BeginStroke(Brush{Size: 300, Hardness: 0.7}, 1000, 1000)
		for x := 1000.0; x < 5000; x += 40 {
			m.StrokeTo(x, 1000+x/4)
		}
		m.EndStroke()
		s := m.hist.undo[len(m.hist.undo)-1]
		undoBytes = 0
		for _, c := range s {
			undoBytes += len(c.before) + len(c.after)
		}
		dabs = 4000 / (300 / 10)
		m.Undo()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*dabs)/1e3, "µs/dab")
	b.ReportMetric(float64(undoBytes)/(1<<20), "MB-undo-step")
	b.ReportMetric(float64(6000*4000)/float64(undoBytes), "full-copy/undo-step")
}

// BenchmarkFrame24MP renders a 1600×1000 view of a 24 MP photo: a full
// frame at "fit" and at 100 %, and the partial frame after one dab, and
// compares them with compositing the whole photo at full resolution (what
// a naive widget does per stroke).
func BenchmarkFrame24MP(b *testing.B) {
	img := photo24()
	r := &renderer{pyr: newPyramid(img), mask: NewMask(6000, 4000), overlay: DefaultOverlay}
	paint(r.mask, Brush{Size: 800, Hardness: 0.5}, [2]float64{3000, 2000}, [2]float64{4000, 2500})
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
	b.ReportMetric(float64(naive)/float64(fitT/n), "naive/frame")
}
