package segment

import (
	"context"
	"image"
	"math"
	"testing"
	"time"

	"github.com/zeninpaint/studio/client/clienttest"
)

// photo24 is a 6000×4000 busy scene (stripes, a gradient, hashed noise)
// with a 3200×2400 blob in it, and a box 6 % larger than the blob.
func photo24() (*image.NRGBA, image.Rectangle) {
	const w, h = 6000, 4000
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	parallel(h, func(lo, hi int) {
		for y := lo; y < hi; y++ {
			row := img.Pix[y*img.Stride:]
			for x := range w {
				n := float64(uint32(x*73856093^y*19349663)%64) - 32
				dx, dy := float64(x-3000)/1600, float64(y-2000)/1200
				in := dx*dx+dy*dy < 1+0.15*math.Sin(5*math.Atan2(dy, dx))
				base := [3]float64{90, 120, 70}
				if in {
					base = [3]float64{200, 70, 60}
				}
				s := 30 * math.Sin(float64(x+2*y)/40)
				for k := range 3 {
					row[x*4+k] = uint8(min(max(base[k]+s+n, 0), 255))
				}
				row[x*4+3] = 255
			}
		}
	})
	return img, image.Rect(3000-1700, 2000-1300, 3000+1700, 2000+1300)
}

// BenchmarkObjectSelect24MP times a box → mask on a 24 MP picture: the
// whole of Object, from the picture to the full-resolution mask.
func BenchmarkObjectSelect24MP(b *testing.B) {
	img, box := photo24()
	var total time.Duration
	for b.Loop() {
		t0 := time.Now()
		if _, err := Object(context.Background(), img, box, Options{}); err != nil {
			b.Fatal(err)
		}
		total += time.Since(t0)
	}
	ms := float64(total.Microseconds()) / float64(b.N) / 1e3
	clienttest.Goal(b, "object-select-24mp", ms, "ms", "<=", 1500)
}

// BenchmarkSubject24MP times Select subject (the box found, then the
// object) and a cut-out matte on the same 24 MP picture.
func BenchmarkSubject24MP(b *testing.B) {
	img, _ := photo24()
	var subject, cut time.Duration
	for b.Loop() {
		t0 := time.Now()
		if _, err := Subject(context.Background(), img, Options{}); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		if _, err := CutOut(context.Background(), img, image.Rectangle{}, Options{}); err != nil {
			b.Fatal(err)
		}
		subject += t1.Sub(t0)
		cut += time.Since(t1)
	}
	n := float64(b.N)
	b.ReportMetric(float64(subject.Milliseconds())/n, "ms-subject")
	b.ReportMetric(float64(cut.Milliseconds())/n, "ms-cutout")
}
