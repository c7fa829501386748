package segment

import (
	"context"
	"errors"
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"testing"
)

// scene is a synthetic picture with its exact object mask.
type scene struct {
	img   *image.NRGBA
	truth *image.Gray
	box   image.Rectangle
}

// texture paints a busy backdrop: a colour gradient, stripes and noise.
func texture(w, h int, seed uint64, base [3]float64) *image.NRGBA {
	rng := rand.New(rand.NewPCG(seed, 7))
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			stripe := 30 * math.Sin(float64(x+2*y)/6)
			var c [3]uint8
			for k := range 3 {
				v := base[k] + stripe + 40*float64(x)/float64(w) + rng.NormFloat64()*12
				c[k] = uint8(min(max(v, 0), 255))
			}
			img.SetNRGBA(x, y, color.NRGBA{c[0], c[1], c[2], 255})
		}
	}
	return img
}

// paint draws the object where inside says, in a textured colour, and
// records it in the truth.
func paint(img *image.NRGBA, inside func(x, y int) bool, base [3]float64, seed uint64) *image.Gray {
	rng := rand.New(rand.NewPCG(seed, 9))
	truth := image.NewGray(img.Rect)
	for y := range img.Rect.Dy() {
		for x := range img.Rect.Dx() {
			if !inside(x, y) {
				continue
			}
			var c [3]uint8
			for k := range 3 {
				c[k] = uint8(min(max(base[k]+15*math.Cos(float64(x)/4)+rng.NormFloat64()*8, 0), 255))
			}
			img.SetNRGBA(x, y, color.NRGBA{c[0], c[1], c[2], 255})
			truth.Pix[truth.PixOffset(x, y)] = 255
		}
	}
	return truth
}

func scenes() map[string]scene {
	out := map[string]scene{}
	{ // A blob on a textured backdrop.
		img := texture(240, 180, 1, [3]float64{90, 120, 70})
		truth := paint(img, func(x, y int) bool {
			dx, dy := float64(x-120), float64(y-90)
			a := math.Atan2(dy, dx)
			return math.Hypot(dx, dy) < 50+10*math.Sin(3*a)
		}, [3]float64{200, 60, 70}, 2)
		out["blob on texture"] = scene{img, truth, image.Rect(60, 30, 180, 150)}
	}
	{ // An object that fills the box to its edge.
		img := texture(240, 180, 3, [3]float64{60, 80, 150})
		truth := paint(img, func(x, y int) bool { return x >= 70 && x < 170 && y >= 40 && y < 140 && (x-70)+(y-40) > 20 },
			[3]float64{230, 200, 60}, 4)
		out["touching the box"] = scene{img, truth, image.Rect(70, 40, 170, 140)}
	}
	{ // A thin object: a pole with a small head.
		img := texture(240, 180, 5, [3]float64{110, 110, 110})
		truth := paint(img, func(x, y int) bool {
			return (x >= 116 && x < 124 && y >= 30 && y < 160) || math.Hypot(float64(x-120), float64(y-35)) < 12
		}, [3]float64{20, 40, 220}, 6)
		out["thin object"] = scene{img, truth, image.Rect(100, 18, 140, 170)}
	}
	return out
}

// iou compares a mask (any bounds, ≥ 128 = in) with the truth.
func iou(m, truth *image.Gray) float64 {
	inter, union := 0, 0
	r := truth.Rect
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			a := image.Pt(x, y).In(m.Rect) && m.GrayAt(x, y).Y >= 128
			b := truth.GrayAt(x, y).Y >= 128
			if a && b {
				inter++
			}
			if a || b {
				union++
			}
		}
	}
	if union == 0 {
		return 1
	}
	return float64(inter) / float64(union)
}

func TestObjectOnSyntheticScenes(t *testing.T) {
	want := map[string]float64{"blob on texture": 0.95, "touching the box": 0.95, "thin object": 0.9}
	for name, sc := range scenes() {
		t.Run(name, func(t *testing.T) {
			m, err := Object(context.Background(), sc.img, sc.box, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if m.Rect != sc.box {
				t.Errorf("mask bounds %v, want the box %v", m.Rect, sc.box)
			}
			if got := iou(m, sc.truth); got < want[name] {
				t.Errorf("IoU %.3f, want ≥ %.2f", got, want[name])
			} else {
				t.Logf("IoU %.3f", got)
			}
		})
	}
}

// TestObjectReducedSize segments a scene scaled up 3× at a work size that
// forces the reduced-size path and the edge refinement.
func TestObjectReducedSize(t *testing.T) {
	sc := scenes()["blob on texture"]
	big, truth := upscale(sc.img, 3), upscaleGray(sc.truth, 3)
	box := image.Rect(sc.box.Min.X*3, sc.box.Min.Y*3, sc.box.Max.X*3, sc.box.Max.Y*3)
	m, err := Object(context.Background(), big, box, Options{WorkPixels: 10_000})
	if err != nil {
		t.Fatal(err)
	}
	if got := iou(m, truth); got < 0.93 {
		t.Errorf("IoU %.3f at a reduced size, want ≥ 0.93", got)
	}
}

func upscale(img *image.NRGBA, k int) *image.NRGBA {
	r := img.Rect
	out := image.NewNRGBA(image.Rect(0, 0, r.Dx()*k, r.Dy()*k))
	for y := range out.Rect.Dy() {
		for x := range out.Rect.Dx() {
			out.SetNRGBA(x, y, img.NRGBAAt(x/k, y/k))
		}
	}
	return out
}

func upscaleGray(img *image.Gray, k int) *image.Gray {
	r := img.Rect
	out := image.NewGray(image.Rect(0, 0, r.Dx()*k, r.Dy()*k))
	for y := range out.Rect.Dy() {
		for x := range out.Rect.Dx() {
			out.SetGray(x, y, img.GrayAt(x/k, y/k))
		}
	}
	return out
}

func TestPriorRefines(t *testing.T) {
	sc := scenes()["blob on texture"]
	prior := image.NewGray(sc.img.Rect)
	copy(prior.Pix, sc.truth.Pix)
	m, err := Object(context.Background(), sc.img, sc.box, Options{Prior: prior, Iterations: 2})
	if err != nil {
		t.Fatal(err)
	}
	if got := iou(m, sc.truth); got < 0.93 {
		t.Errorf("IoU %.3f from the true prior, want ≥ 0.93", got)
	}
}

func TestSubjectAndCutOut(t *testing.T) {
	sc := scenes()["blob on texture"]
	box := SubjectBox(sc.img)
	in, all := 0, 0
	for i, v := range sc.truth.Pix {
		if v != 0 {
			all++
			if image.Pt(i%240, i/240).In(box) {
				in++
			}
		}
	}
	if f := float64(in) / float64(all); f < 0.95 {
		t.Errorf("SubjectBox %v holds %.2f of the object, want ≥ 0.95", box, f)
	}
	m, err := Subject(context.Background(), sc.img, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := iou(m, sc.truth); got < 0.9 {
		t.Errorf("Subject IoU %.3f, want ≥ 0.9", got)
	}
	a, err := CutOut(context.Background(), sc.img, image.Rectangle{}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if a.Rect != sc.img.Rect {
		t.Fatalf("matte bounds %v, want the image's", a.Rect)
	}
	if a.AlphaAt(120, 90).A != 255 || a.AlphaAt(5, 5).A != 0 {
		t.Errorf("matte: centre %d, corner %d; want 255 and 0", a.AlphaAt(120, 90).A, a.AlphaAt(5, 5).A)
	}
	cut := WithAlpha(sc.img, a)
	if c, want := cut.NRGBAAt(120, 90), sc.img.NRGBAAt(120, 90); c.A != 255 || c.R != want.R || cut.NRGBAAt(5, 5).A != 0 {
		t.Errorf("WithAlpha: centre %v (picture %v), corner alpha %d", c, want, cut.NRGBAAt(5, 5).A)
	}
}

func TestErrors(t *testing.T) {
	img := image.NewNRGBA(image.Rect(0, 0, 20, 20))
	if _, err := Object(context.Background(), img, image.Rect(30, 30, 40, 40), Options{}); !errors.Is(err, ErrEmptyBox) {
		t.Errorf("a box outside: %v, want ErrEmptyBox", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Object(ctx, img, image.Rect(2, 2, 18, 18), Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v, want context.Canceled", err)
	}
}

// TestMaxflowMatchesBruteForce compares the cut on small random grids with
// the minimum energy found by trying every labelling.
func TestMaxflowMatchesBruteForce(t *testing.T) {
	for seed := range uint64(30) {
		rng := rand.New(rand.NewPCG(seed, 1))
		w, h := 3+int(seed%2), 3
		g := newGrid(w, h)
		for i := range w * h {
			g.tr[i] = float32(rng.IntN(21) - 10)
			for d := range 8 {
				if j := g.neighbour(i, d); j >= 0 {
					g.rc[i*8+d] = float32(rng.IntN(6))
				}
			}
		}
		tr, rc := append([]float32(nil), g.tr...), append([]float32(nil), g.rc...)
		energy := func(src func(i int) bool) float64 {
			e := 0.0
			for i := range w * h {
				if src(i) && tr[i] < 0 {
					e += float64(-tr[i])
				}
				if !src(i) && tr[i] > 0 {
					e += float64(tr[i])
				}
				for d := range 8 {
					if j := g.neighbour(i, d); j >= 0 && src(i) && !src(j) {
						e += float64(rc[i*8+d])
					}
				}
			}
			return e
		}
		best := math.Inf(1)
		for mask := range 1 << (w * h) {
			best = min(best, energy(func(i int) bool { return mask>>i&1 == 1 }))
		}
		g.maxflow()
		if got := energy(g.source); math.Abs(got-best) > 1e-3 {
			t.Errorf("seed %d: cut energy %v, the minimum is %v", seed, got, best)
		}
	}
}

// TestMatteIsSoftAtTheEdge checks that the matte goes from 0 to 255 through
// intermediate values across the object's edge, and is hard elsewhere.
func TestMatteIsSoftAtTheEdge(t *testing.T) {
	sc := scenes()["blob on texture"]
	a, err := Matte(context.Background(), sc.img, sc.box, Options{})
	if err != nil {
		t.Fatal(err)
	}
	soft, hard := 0, 0
	for i, v := range a.Pix {
		x, y := i%240, i/240
		edge := false
		for _, d := range [4][2]int{{-1, 0}, {1, 0}, {0, -1}, {0, 1}} {
			if nx, ny := x+d[0], y+d[1]; nx >= 0 && ny >= 0 && nx < 240 && ny < 180 && sc.truth.GrayAt(nx, ny).Y != sc.truth.GrayAt(x, y).Y {
				edge = true
			}
		}
		switch {
		case edge && v > 0 && v < 255:
			soft++
		case !edge && (v == 0 || v == 255):
			hard++
		}
	}
	if soft < 100 || float64(hard) < 0.9*float64(len(a.Pix)) {
		t.Errorf("%d soft edge pixels, %d of %d hard elsewhere", soft, hard, len(a.Pix))
	}
}

// TestProgress checks that Progress goes from 0 to 1 without going back.
func TestProgress(t *testing.T) {
	sc := scenes()["blob on texture"]
	var got []float64
	big := upscale(sc.img, 3)
	box := image.Rect(sc.box.Min.X*3, sc.box.Min.Y*3, sc.box.Max.X*3, sc.box.Max.Y*3)
	if _, err := Object(context.Background(), big, box, Options{WorkPixels: 10_000, Progress: func(f float64) { got = append(got, f) }}); err != nil {
		t.Fatal(err)
	}
	if len(got) < 5 || got[0] != 0 || got[len(got)-1] != 1 {
		t.Fatalf("progress %v, want 0 … 1 in several steps", got)
	}
	for i := 1; i < len(got); i++ {
		if got[i] < got[i-1] {
			t.Fatalf("progress went back: %v", got)
		}
	}
}
