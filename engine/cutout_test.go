package engine

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/jpeg"
	"math"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/disintegration/imaging"

	"github.com/zeninpaint/studio/client"
	"github.com/zeninpaint/studio/client/clienttest"
)

// backdropKind is the studio backdrop of a test composite.
type backdropKind int

const (
	plainBackdrop backdropKind = iota
	gradientBackdrop
	sweepBackdrop
)

// studioShot is a test composite for CutOut: a subject cut from one of the
// benchmark's photographs in a random shape (a bottle, a vase, a figure, a
// pebble), anti-aliased, on a backdrop of the given kind with a soft
// contact and drop shadow when shadow is set, saved as a JPEG of quality
// 80–90 and read back. It returns the picture and the true alpha.
func studioShot(t testing.TB, seed uint64, kind backdropKind, shadow bool) (*image.NRGBA, *image.Gray) {
	t.Helper()
	const w, h = 300, 360
	rng := rand.New(rand.NewPCG(seed, 0xc07))
	// The shape: a union of ellipses standing on a base line.
	type ellipse struct{ cx, cy, rx, ry float64 }
	base := float64(h) * (0.8 + 0.1*rng.Float64())
	cx := float64(w) * (0.4 + 0.2*rng.Float64())
	var parts []ellipse
	switch seed % 4 {
	case 0: // a bottle: body and neck
		rx, ry := 45+20*rng.Float64(), 70+30*rng.Float64()
		parts = append(parts, ellipse{cx, base - ry, rx, ry}, ellipse{cx, base - 2*ry, rx / 3, ry * 0.6})
	case 1: // a vase: wide belly, narrow foot, lip
		rx := 60 + 25*rng.Float64()
		parts = append(parts, ellipse{cx, base - 90, rx, 70}, ellipse{cx, base - 10, rx / 2, 14}, ellipse{cx, base - 170, rx / 2.2, 20})
	case 2: // a figure: body and head
		parts = append(parts, ellipse{cx, base - 80, 55 + 15*rng.Float64(), 80}, ellipse{cx + 10*rng.Float64(), base - 190, 34, 38})
	default: // pebbles
		for range 3 {
			rx := 30 + 30*rng.Float64()
			parts = append(parts, ellipse{cx + 100*(rng.Float64()-0.5), base - rx*0.7, rx, rx * 0.7})
		}
	}
	inside := func(x, y float64) bool {
		for _, e := range parts {
			dx, dy := (x-e.cx)/e.rx, (y-e.cy)/e.ry
			if dx*dx+dy*dy <= 1 {
				return true
			}
		}
		return false
	}
	truth := image.NewGray(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			n := 0
			for sy := 0; sy < 4; sy++ {
				for sx := 0; sx < 4; sx++ {
					if inside(float64(x)+(float64(sx)+0.5)/4, float64(y)+(float64(sy)+0.5)/4) {
						n++
					}
				}
			}
			truth.Pix[y*w+x] = uint8((n*255 + 8) / 16)
		}
	}
	// The subject's look: a crop of a photograph, shaded as a rounded body.
	photo := loadPhoto(t, []string{"fig", "wine", "dragonfly", "friends", "stream", "meadow", "picos", "dune"}[rng.IntN(8)], 0)
	ox, oy := rng.IntN(photo.Rect.Dx()-w), rng.IntN(photo.Rect.Dy()-h)
	// The backdrop's colours, kept apart from the subject's mean colour.
	var mean [3]float64
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := toOklab(photo.Pix[photo.PixOffset(ox+x, oy+y):])
			for k := range mean {
				mean[k] += c[k] / float64(w*h)
			}
		}
	}
	pick := func() [3]float64 {
		for {
			hue := 2 * math.Pi * rng.Float64()
			chroma := 0.06 * rng.Float64()
			c := [3]float64{0.3 + 0.65*rng.Float64(), chroma * math.Cos(hue), chroma * math.Sin(hue)}
			if math.Hypot(math.Hypot(c[0]-mean[0], c[1]-mean[1]), c[2]-mean[2]) > 0.2 {
				return c
			}
		}
	}
	top := pick()
	bottom := top
	if kind != plainBackdrop {
		bottom = [3]float64{top[0] * (0.7 + 0.25*rng.Float64()), top[1] * 0.8, top[2] * 0.8}
	}
	horizon := base - 60*rng.Float64()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			t := 0.0
			switch kind {
			case gradientBackdrop:
				t = float64(y) / float64(h)
			case sweepBackdrop: // wall, a curve into the floor, a vignette
				t = 1 / (1 + math.Exp(-(float64(y)-horizon)/25))
			}
			c := [3]float64{top[0] + (bottom[0]-top[0])*t, top[1] + (bottom[1]-top[1])*t, top[2] + (bottom[2]-top[2])*t}
			if kind == sweepBackdrop {
				dx, dy := (float64(x)-float64(w)/2)/float64(w), (float64(y)-float64(h)/2)/float64(h)
				c[0] *= 1 - 0.25*(dx*dx+dy*dy)
			}
			fromOklab(c, img.Pix[img.PixOffset(x, y):])
			img.Pix[img.PixOffset(x, y)+3] = 255
		}
	}
	if shadow {
		box := maskBounds(truth, 128)
		sh := image.NewGray(img.Rect)
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				dx := (float64(x) - float64(box.Min.X+box.Max.X)/2) / (float64(box.Dx()) * 0.6)
				dy := (float64(y) - float64(box.Max.Y)) / 10
				v := math.Max(0, 1-dx*dx-dy*dy)
				if a := truth.Pix[max(0, y-8)*w+min(w-1, x+12)]; float64(a)/255*0.5 > v {
					v = float64(a) / 255 * 0.5 // a drop shadow, down and right
				}
				sh.Pix[y*w+x] = uint8(255 * v)
			}
		}
		soft := imaging.Blur(sh, 6)
		for i := 0; i < w*h; i++ {
			f := 1 - 0.45*float64(soft.Pix[4*i])/255
			for k := 0; k < 3; k++ {
				img.Pix[4*i+k] = uint8(float64(img.Pix[4*i+k]) * f)
			}
		}
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			a := float64(truth.Pix[y*w+x]) / 255
			if a == 0 {
				continue
			}
			dx, dy := (float64(x)-cx)/120, (float64(y)-base+100)/200
			shade := 1.1 - 0.35*(dx*dx+dy*dy)
			o, s := img.PixOffset(x, y), photo.PixOffset(ox+x, oy+y)
			for k := 0; k < 3; k++ {
				v := min(255, float64(photo.Pix[s+k])*shade)
				img.Pix[o+k] = uint8(a*v + (1-a)*float64(img.Pix[o+k]) + 0.5)
			}
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 80 + rng.IntN(11)}); err != nil {
		t.Fatal(err)
	}
	dec, err := jpeg.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	return imaging.Clone(dec), truth
}

// CutOut on 24 studio shots (plain, gradient and sweep backdrops, with and
// without shadows, JPEG noise): the binarized alpha's mean IoU with the
// truth at least 0.97 and the mean absolute alpha error at most 0.03.
func TestCutOutStudioShots(t *testing.T) {
	t.Parallel()
	const n = 24
	var shots, truths [n]image.Image
	for s := range n {
		shots[s], truths[s] = studioShot(t, uint64(s), backdropKind(s%3), s%2 == 1)
	}
	var ious, maes [n]float64
	var errs [n]error
	var wg sync.WaitGroup
	sem := make(chan struct{}, 2) // two cut-outs at a time: both cores
	for s := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			var cut *image.NRGBA
			if cut, errs[s] = CutOut(context.Background(), shots[s]); errs[s] == nil {
				ious[s], maes[s] = alphaScores(SubjectMask(cut), truths[s].(*image.Gray))
			}
		}()
	}
	wg.Wait()
	for s := range n {
		if errs[s] != nil {
			t.Fatalf("shot %d: %v", s, errs[s])
		}
		t.Logf("shot %2d (backdrop %d, shadow %v): IoU %.4f, alpha error %.4f", s, s%3, s%2 == 1, ious[s], maes[s])
	}
	var iouSum, errSum float64
	for s := range n {
		iouSum += ious[s]
		errSum += maes[s]
	}
	iou, mae := iouSum/n, errSum/n
	t.Logf("mean IoU %.4f, mean alpha error %.4f", iou, mae)
	if iou < 0.97 || mae > 0.03 {
		t.Errorf("mean IoU %.4f (want ≥ 0.97), mean alpha error %.4f (want ≤ 0.03)", iou, mae)
	}
}

// alphaScores is the IoU of got and want binarized at 128, and their mean
// absolute difference in 0..1.
func alphaScores(got, want *image.Gray) (iou, mae float64) {
	var inter, union int
	var diff float64
	for i, g := range got.Pix {
		a, b := g >= 128, want.Pix[i] >= 128
		if a && b {
			inter++
		}
		if a || b {
			union++
		}
		diff += math.Abs(float64(g)-float64(want.Pix[i])) / 255
	}
	return float64(inter) / float64(max(union, 1)), diff / float64(len(got.Pix))
}

// A cut-out, saved as PNG, is a subject New background accepts: the
// client's own validation finds its transparent pixels.
func TestCutOutPassesNewBackgroundCheck(t *testing.T) {
	t.Parallel()
	img, _ := studioShot(t, 7, sweepBackdrop, true)
	cut, err := CutOut(context.Background(), img)
	if err != nil {
		t.Fatal(err)
	}
	req := &client.Request{Mode: client.ModeBackground, Subject: clienttest.PNG(cut)}
	if _, err := req.Validate(0); err != nil {
		t.Fatalf("New background refuses the cut-out: %v", err)
	}
	// Opaque pixels keep their colours exactly.
	for i := 0; i < len(cut.Pix); i += 4 {
		if cut.Pix[i+3] == 255 && !bytes.Equal(cut.Pix[i:i+3], img.Pix[i:i+3]) {
			t.Fatalf("opaque pixel %d changed colour", i/4)
		}
	}
}

// A plain picture has no subject; a cancelled context stops the work.
func TestCutOutErrors(t *testing.T) {
	t.Parallel()
	plain := image.NewNRGBA(image.Rect(0, 0, 64, 48))
	for i := range plain.Pix {
		plain.Pix[i] = []uint8{200, 190, 180, 255}[i%4]
	}
	if _, err := CutOut(context.Background(), plain); !errors.Is(err, ErrNoSubject) {
		t.Errorf("a plain picture: %v, want ErrNoSubject", err)
	}
	img, _ := studioShot(t, 3, plainBackdrop, false)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := CutOut(ctx, img); !errors.Is(err, context.Canceled) {
		t.Errorf("a cancelled cut-out: %v, want context.Canceled", err)
	}
	if _, err := MaskFromSubject(context.Background(), image.NewNRGBA(image.Rect(0, 0, 4, 4))); err == nil {
		t.Error("a 4×4 picture: no error")
	}
}

// BenchmarkCutOutLarge cuts out a portrait studio shot scaled up to
// 2832×3398 (9.6 MP): separated at 4 MP, its alpha scaled back up.
func BenchmarkCutOutLarge(b *testing.B) {
	shot, _ := studioShot(b, 2, sweepBackdrop, true)
	img := imaging.Resize(shot, 2832, 3398, imaging.Lanczos)
	var peak uint64
	for b.Loop() {
		stop := clienttest.WatchHeap(&peak)
		if _, err := CutOut(context.Background(), img); err != nil {
			b.Fatal(err)
		}
		stop()
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
}
