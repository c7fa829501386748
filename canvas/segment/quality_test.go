package segment

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/disintegration/imaging"
	"github.com/zeninpaint/studio/client/clienttest"
)

// photos are the busy photographs of engine/testdata/photos.
var photos = []string{"aitzgorri", "dragonfly", "dune", "fig", "friends", "meadow", "picos", "seeding", "stream", "wine"}

// composite is a quality case: an object with a real (soft) alpha pasted
// onto a photograph, its exact truth, and the box given.
type composite struct {
	name  string
	img   *image.NRGBA
	truth *image.Gray // alpha ≥ 0.5
	box   image.Rectangle
}

// makeComposites builds the cases: twelve objects cut from one photograph
// with a procedural wavy outline and a soft (1.5 px) edge, pasted onto
// another; every third has its colours moved to the backdrop's under it
// (similar colours). The box is the object's bounds grown by 5–10 %.
func makeComposites(t testing.TB) []composite {
	t.Helper()
	load := func(name string) *image.NRGBA {
		img, err := imaging.Open(filepath.Join("..", "..", "engine", "testdata", "photos", name+".jpg"))
		if err != nil {
			t.Fatalf("photo %s: %v", name, err)
		}
		return imaging.Clone(imaging.Fit(img, 640, 640, imaging.Lanczos))
	}
	var out []composite
	for i := range 12 {
		rng := rand.New(rand.NewPCG(uint64(i+1), 0xc0ffee))
		bg := load(photos[i%len(photos)])
		kind := "busy"
		srcName := photos[(i+3)%len(photos)]
		if i%3 == 2 {
			kind, srcName = "similar", photos[(i+5)%len(photos)]
		}
		src := load(srcName)
		w, h := bg.Rect.Dx(), bg.Rect.Dy()
		// The outline: r(θ) = R (1 + Σ a_k sin(kθ + φ_k)), stretched.
		R := float64(min(w, h)) * (0.2 + 0.12*rng.Float64())
		sx, sy := 0.7+0.6*rng.Float64(), 0.7+0.6*rng.Float64()
		var amp, phase [4]float64
		for k := range amp {
			amp[k], phase[k] = 0.12*rng.Float64()/float64(k+1), 2*math.Pi*rng.Float64()
		}
		cx := R*sx*1.3 + rng.Float64()*(float64(w)-2*R*sx*1.3)
		cy := R*sy*1.3 + rng.Float64()*(float64(h)-2*R*sy*1.3)
		// Where in the source the object is cut from.
		ox := rng.IntN(max(1, src.Rect.Dx()/3)) - src.Rect.Dx()/6
		oy := rng.IntN(max(1, src.Rect.Dy()/3)) - src.Rect.Dy()/6
		img := imaging.Clone(bg)
		truth := image.NewGray(bg.Rect)
		bounds := image.Rectangle{}
		alphaAt := func(x, y int) float64 {
			dx, dy := (float64(x)+0.5-cx)/sx, (float64(y)+0.5-cy)/sy
			a := math.Atan2(dy, dx)
			r := 1.0
			for k := range amp {
				r += amp[k] * math.Sin(float64(k+2)*a+phase[k])
			}
			// Signed distance to the rim, about in pixels; a 1.5 px soft edge.
			d := (R*r - math.Hypot(dx, dy)) * math.Min(sx, sy)
			return min(max((d+0.75)/1.5, 0), 1)
		}
		// For the similar cases the object's colours are moved to the
		// backdrop's under it (mean and spread per channel): the same
		// palette, another picture.
		gain, shift := [3]float64{1, 1, 1}, [3]float64{}
		if kind == "similar" {
			var so, sb, qo, qb [3]float64
			n := 0.0
			for y := range h {
				for x := range w {
					if alphaAt(x, y) < 1 {
						continue
					}
					o := src.NRGBAAt(min(max(x+ox, 0), src.Rect.Dx()-1), min(max(y+oy, 0), src.Rect.Dy()-1))
					b := bg.NRGBAAt(x, y)
					for k, v := range [3][2]uint8{{o.R, b.R}, {o.G, b.G}, {o.B, b.B}} {
						so[k] += float64(v[0])
						qo[k] += float64(v[0]) * float64(v[0])
						sb[k] += float64(v[1])
						qb[k] += float64(v[1]) * float64(v[1])
					}
					n++
				}
			}
			for k := range 3 {
				mo, mb := so[k]/n, sb[k]/n
				do, db := math.Sqrt(max(qo[k]/n-mo*mo, 1)), math.Sqrt(max(qb[k]/n-mb*mb, 1))
				gain[k] = db / do
				shift[k] = mb - mo*gain[k]
			}
		}
		for y := range h {
			for x := range w {
				alpha := alphaAt(x, y)
				if alpha == 0 {
					continue
				}
				bounds = bounds.Union(image.Rect(x, y, x+1, y+1))
				if alpha >= 0.5 {
					truth.Pix[truth.PixOffset(x, y)] = 255
				}
				sxp := min(max(x+ox, 0), src.Rect.Dx()-1)
				syp := min(max(y+oy, 0), src.Rect.Dy()-1)
				s, b := src.NRGBAAt(sxp, syp), img.NRGBAAt(x, y)
				mix := func(k int, p, q uint8) uint8 {
					v := min(max(float64(p)*gain[k]+shift[k], 0), 255)
					return uint8(math.Round(alpha*v + (1-alpha)*float64(q)))
				}
				img.SetNRGBA(x, y, color.NRGBA{mix(0, s.R, b.R), mix(1, s.G, b.G), mix(2, s.B, b.B), 255})
			}
		}
		grow := 0.05 + 0.05*rng.Float64()
		gx, gy := int(math.Round(float64(bounds.Dx())*grow/2)), int(math.Round(float64(bounds.Dy())*grow/2))
		box := image.Rect(bounds.Min.X-gx, bounds.Min.Y-gy, bounds.Max.X+gx, bounds.Max.Y+gy).Intersect(bg.Rect)
		out = append(out, composite{fmt.Sprintf("%02d-%s-on-%s-%s", i, srcName, photos[i%len(photos)], kind), img, truth, box})
	}
	return out
}

// boundaryF is the boundary F-measure with a 2-pixel tolerance: the
// harmonic mean of the fractions of each mask's edge pixels that lie within
// 2 px of the other's edge.
func boundaryF(m, truth *image.Gray) float64 {
	r := truth.Rect
	in := func(g *image.Gray, x, y int) bool {
		return image.Pt(x, y).In(g.Rect) && g.GrayAt(x, y).Y >= 128
	}
	edge := func(g *image.Gray) []bool {
		e := make([]bool, r.Dx()*r.Dy())
		for y := r.Min.Y; y < r.Max.Y; y++ {
			for x := r.Min.X; x < r.Max.X; x++ {
				v := in(g, x, y)
				if v && (!in(g, x-1, y) || !in(g, x+1, y) || !in(g, x, y-1) || !in(g, x, y+1)) {
					e[(y-r.Min.Y)*r.Dx()+x-r.Min.X] = true
				}
			}
		}
		return e
	}
	near := func(e []bool, x, y int) bool {
		for dy := -2; dy <= 2; dy++ {
			for dx := -2; dx <= 2; dx++ {
				if nx, ny := x+dx, y+dy; nx >= 0 && ny >= 0 && nx < r.Dx() && ny < r.Dy() && e[ny*r.Dx()+nx] {
					return true
				}
			}
		}
		return false
	}
	a, b := edge(m), edge(truth)
	match := func(p, q []bool) float64 {
		n, hit := 0, 0
		for i, v := range p {
			if v {
				n++
				if near(q, i%r.Dx(), i/r.Dx()) {
					hit++
				}
			}
		}
		if n == 0 {
			return 0
		}
		return float64(hit) / float64(n)
	}
	precision, recall := match(a, b), match(b, a)
	if precision+recall == 0 {
		return 0
	}
	return 2 * precision * recall / (precision + recall)
}

// TestQualityAgainstGrabCut is the segmentation's quality benchmark (it
// runs only when ZEN_QUALITY is set, as in `make quality`): every composite
// is segmented from its box by Object and by OpenCV's grabCut with the same
// box and 5 iterations (testdata/opencv_grabcut.py, with the Python of
// ZEN_PYTHON, default python3), both scored by the same code: IoU with the
// truth and the boundary F-measure (2 px); the table's last column is
// Select subject's IoU (Subject, no box). It prints the table and fails
// unless Object's mean IoU is at least grabCut's. ZEN_QUALITY_OUT keeps the
// pictures there.
func TestQualityAgainstGrabCut(t *testing.T) {
	q := clienttest.NewQualityRun(t, "set ZEN_QUALITY=1 (make quality) to run the segmentation benchmark against OpenCV's grabCut")
	dir := q.Dir
	cases := makeComposites(t)
	type score struct{ iou, bf, sec float64 }
	ours := make([]score, len(cases))
	subject := make([]float64, len(cases)) // Select subject's IoU, without the box
	for i, c := range cases {
		if err := imaging.Save(c.img, filepath.Join(dir, c.name+"-input.png")); err != nil {
			t.Fatal(err)
		}
		if err := imaging.Save(c.truth, filepath.Join(dir, c.name+"-truth.png")); err != nil {
			t.Fatal(err)
		}
		b := c.box
		if err := os.WriteFile(filepath.Join(dir, c.name+"-box.txt"), fmt.Appendf(nil, "%d %d %d %d\n", b.Min.X, b.Min.Y, b.Max.X, b.Max.Y), 0o644); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		m, err := Object(context.Background(), c.img, c.box, Options{})
		if err != nil {
			t.Fatal(err)
		}
		ours[i] = score{iou(m, c.truth), boundaryF(m, c.truth), time.Since(start).Seconds()}
		sm, err := Subject(context.Background(), c.img, Options{})
		if err != nil {
			t.Fatal(err)
		}
		subject[i] = iou(sm, c.truth)
		full := image.NewGray(c.img.Rect)
		for y := m.Rect.Min.Y; y < m.Rect.Max.Y; y++ {
			copy(full.Pix[full.PixOffset(m.Rect.Min.X, y):], m.Pix[m.PixOffset(m.Rect.Min.X, y):][:m.Rect.Dx()])
		}
		if err := imaging.Save(full, filepath.Join(dir, c.name+"-ours.png")); err != nil {
			t.Fatal(err)
		}
	}
	times := q.Reference(t, "OpenCV grabCut", filepath.Join("testdata", "opencv_grabcut.py"))
	theirs := make([]score, len(cases))
	for i, c := range cases {
		img, err := imaging.Open(filepath.Join(dir, c.name+"-grabcut.png"))
		if err != nil {
			t.Fatal(err)
		}
		g := image.NewGray(img.Bounds())
		for k, v := range imaging.Grayscale(img).Pix {
			if k%4 == 0 {
				g.Pix[k/4] = v
			}
		}
		theirs[i] = score{iou(g, c.truth), boundaryF(g, c.truth), times[c.name]}
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "\n%-36s %8s %8s %8s %8s %7s %7s %8s\n", "case", "IoU", "grabCut", "BF", "grabCut", "s", "grabCut", "subject")
	var mean [2]score
	meanSubject := 0.0
	for i, c := range cases {
		o, g := ours[i], theirs[i]
		mark := ""
		if o.iou < g.iou {
			mark = "  loses"
		}
		fmt.Fprintf(&sb, "%-36s %8.3f %8.3f %8.3f %8.3f %7.3f %7.3f %8.3f%s\n", c.name, o.iou, g.iou, o.bf, g.bf, o.sec, g.sec, subject[i], mark)
		meanSubject += subject[i] / float64(len(cases))
		for k, s := range [2]score{o, g} {
			mean[k].iou += s.iou / float64(len(cases))
			mean[k].bf += s.bf / float64(len(cases))
			mean[k].sec += s.sec / float64(len(cases))
		}
	}
	fmt.Fprintf(&sb, "%-36s %8.3f %8.3f %8.3f %8.3f %7.3f %7.3f %8.3f\n", "mean", mean[0].iou, mean[1].iou, mean[0].bf, mean[1].bf, mean[0].sec, mean[1].sec, meanSubject)
	t.Log(sb.String())
	fmt.Print(sb.String())
	if mean[0].iou < mean[1].iou {
		t.Errorf("mean IoU %.3f, below grabCut's %.3f", mean[0].iou, mean[1].iou)
	}
}
