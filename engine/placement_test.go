package engine

import (
	"image"
	"math"
	"testing"

	"github.com/zeninpaint/studio/client/clienttest"
)

// A subject placed on a textured scene sits in a fill like any removal:
// the ring of the painted area that the subject leaves uncovered has the
// scene's mean colour (within maxRingShift levels a channel) and its
// texture (the Laplacian's spread within 0.5–1.5 of the scene's).
func TestPlacedSubjectSitsInTheScene(t *testing.T) {
	t.Parallel()
	const maxRingShift = 12
	cases := []struct {
		name  string
		photo string
		oval  image.Rectangle // on the 384 px photo
	}{
		{"meadow", "meadow", image.Rect(150, 120, 250, 240)},
		{"dune", "dune", image.Rect(60, 110, 170, 230)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			bg := loadPhoto(t, tc.photo, 384)
			mask := ellipseMask(bg.Rect, tc.oval)
			out, err := inpaint(quietTracker(), bg, mask, clienttest.Subject(90, 120), 1)
			if err != nil {
				t.Fatal(err)
			}
			// Where the subject is.
			placed := placeSubject(bg.Rect, clienttest.Subject(90, 120), maskBounds(mask, 128))
			subject := image.NewGray(bg.Rect)
			for i := range subject.Pix {
				subject.Pix[i] = placed.Pix[4*i+3]
			}
			ring, scene := image.NewGray(bg.Rect), image.NewGray(bg.Rect)
			near := dilateMask(mask, 16)
			covered := dilateMask(subject, 3)
			foot := maskBounds(subject, 1)
			shadowZone := image.Rect(foot.Min.X-foot.Dx()/4, foot.Max.Y-foot.Dy()/4, foot.Max.X+foot.Dx()/4, foot.Max.Y+foot.Dy()/4)
			for y := 0; y < bg.Rect.Dy(); y++ {
				for x := 0; x < bg.Rect.Dx(); x++ {
					i := y*mask.Stride + x
					switch {
					case mask.Pix[i] == 255 && covered.Pix[i] == 0 && !image.Pt(x, y).In(shadowZone):
						ring.Pix[i] = 255
					case mask.Pix[i] == 0 && near.Pix[i] != 0:
						scene.Pix[i] = 255
					}
				}
			}
			rm, sm := meanRGB(out, ring), meanRGB(bg, scene)
			texture := laplacianSpread(out, ring) / laplacianSpread(bg, scene)
			t.Logf("ring mean %.0f, scene mean %.0f, texture %.2f", rm, sm, texture)
			for c := range rm {
				if math.Abs(rm[c]-sm[c]) > maxRingShift {
					t.Errorf("the ring's mean %.0f is more than %d levels from the scene's %.0f", rm, maxRingShift, sm)
					break
				}
			}
			if texture < 0.5 || texture > 1.5 {
				t.Errorf("the ring's texture is %.2f of the scene's, want 0.5–1.5", texture)
			}
		})
	}
}

// The foot shadow of a placed subject is soft and local: darkest just under the subject's
// foot, fading, and nothing anywhere else (no halo around the subject).
func TestFootShadowIsLocal(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name      string
		foot      image.Rectangle // the subject: a box whose bottom is its foot
		minUnder  float64         // darkening just under the foot, levels
		shadowTop int             // rows above the foot's bottom that may darken
	}{
		{"a tall box", image.Rect(40, 20, 60, 80), 20, 5},
		{"a wide box", image.Rect(20, 50, 80, 70), 20, 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dst := image.NewNRGBA(image.Rect(0, 0, 100, 100))
			for i := range dst.Pix {
				dst.Pix[i] = 128
			}
			alpha := image.NewGray(dst.Rect)
			for y := tc.foot.Min.Y; y < tc.foot.Max.Y; y++ {
				for x := tc.foot.Min.X; x < tc.foot.Max.X; x++ {
					alpha.Pix[alpha.PixOffset(x, y)] = 255
				}
			}
			addFootShadow(dst, alpha, nil, 0.45)
			cx := (tc.foot.Min.X + tc.foot.Max.X) / 2
			if d := 128 - float64(dst.Pix[dst.PixOffset(cx, tc.foot.Max.Y)]); d < tc.minUnder {
				t.Errorf("darkened by %.0f levels just under the foot, want ≥ %.0f", d, tc.minUnder)
			}
			reach := image.Rect(tc.foot.Min.X-tc.foot.Dx()/2, tc.foot.Max.Y-tc.shadowTop, tc.foot.Max.X+tc.foot.Dx()/2, tc.foot.Max.Y+tc.foot.Dy()/5+2)
			for y := 0; y < 100; y++ {
				for x := 0; x < 100; x++ {
					if !image.Pt(x, y).In(reach) && dst.Pix[dst.PixOffset(x, y)] != 128 {
						t.Fatalf("(%d,%d) darkened, away from the foot", x, y)
					}
				}
			}
		})
	}
}

// ellipseMask is a mask of the ellipse inscribed in r.
func ellipseMask(rect, r image.Rectangle) *image.Gray {
	m := image.NewGray(rect)
	cx, cy := float64(r.Min.X+r.Max.X)/2, float64(r.Min.Y+r.Max.Y)/2
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			dx, dy := (float64(x)+0.5-cx)/(float64(r.Dx())/2), (float64(y)+0.5-cy)/(float64(r.Dy())/2)
			if dx*dx+dy*dy <= 1 {
				m.Pix[m.PixOffset(x, y)] = 255
			}
		}
	}
	return m
}

// dilateMask marks the pixels within r (a square) of a set pixel of m.
func dilateMask(m *image.Gray, r int) *image.Gray {
	hole := make([]bool, len(m.Pix))
	for i, v := range m.Pix {
		hole[i] = v != 0
	}
	out := image.NewGray(m.Rect)
	for i, v := range dilate(hole, m.Rect.Dx(), m.Rect.Dy(), r) {
		if v {
			out.Pix[i] = 255
		}
	}
	return out
}

// meanRGB is the mean colour of img where m is set.
func meanRGB(img *image.NRGBA, m *image.Gray) [3]float64 {
	var sum [3]float64
	n := 0.0
	for i, v := range m.Pix {
		if v != 0 {
			for c := range sum {
				sum[c] += float64(img.Pix[4*i+c])
			}
			n++
		}
	}
	for c := range sum {
		sum[c] /= max(n, 1)
	}
	return sum
}
