package engine

import (
	"image"
	"image/color"
	"math"
	"testing"

	"github.com/zeninpaint/studio/client"
)

// The subject's alpha matte survives a new background exactly: opaque
// pixels keep their bytes, and every soft edge pixel is the subject blended
// over the (shadowed) backdrop by its own alpha, so the alpha can be read
// back from the result.
func TestNewBackgroundKeepsTheSubjectsMatte(t *testing.T) {
	t.Parallel()
	const w, h = 120, 90
	subject := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 20; y < 80; y++ {
		for x := 30; x < 90; x++ {
			a := uint8(255)
			if x < 40 { // a soft left edge: every alpha from 0 to 255
				a = uint8((x - 30) * 255 / 10)
			}
			subject.SetNRGBA(x, y, color.NRGBA{20, 40, 200, a})
		}
	}
	for _, prompt := range []string{"studio", "night", "sunset"} {
		pal := newPalette(&client.Request{Prompt: prompt, Seed: 5})
		back, err := backdrop(quietTracker(), subject, alphaOf(subject), pal)
		if err != nil {
			t.Fatal(err)
		}
		addContactShadow(back, alphaOf(subject), nil, 0.5)
		pal = newPalette(&client.Request{Prompt: prompt, Seed: 5})
		out, err := newBackground(quietTracker(), subject, pal)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < w*h; i++ {
			s, o, b := subject.Pix[4*i:4*i+4], out.Pix[4*i:4*i+4], back.Pix[4*i:4*i+4]
			if o[3] != 255 {
				t.Fatalf("%s: the result is not opaque at %d", prompt, i)
			}
			switch a := s[3]; {
			case a == 255:
				if o[0] != s[0] || o[1] != s[1] || o[2] != s[2] {
					t.Fatalf("%s: opaque subject pixel %d changed: %v → %v", prompt, i, s, o)
				}
			case a > 0:
				// Read the alpha back from the blue channel, where subject
				// and backdrop differ most.
				if d := float64(s[2]) - float64(b[2]); math.Abs(d) > 60 {
					got := (float64(o[2]) - float64(b[2])) / d * 255
					// 8-bit rounding over a difference of > 60 levels.
					if math.Abs(got-float64(a)) > 2.5 {
						t.Fatalf("%s: pixel %d has alpha %d, reads back as %.1f", prompt, i, a, got)
					}
				}
			}
		}
	}
}

// The backdrop takes the subject's hue and keeps its lightness clear of the
// subject's, so a white product does not vanish into a white wall.
func TestBackdropColoursFollowTheSubject(t *testing.T) {
	cases := []struct {
		name          string
		wall, subject [3]uint8
	}{
		{"white on white", [3]uint8{242, 242, 240}, [3]uint8{250, 250, 250}},
		{"black on black", [3]uint8{30, 32, 40}, [3]uint8{10, 10, 10}},
		{"red on grey", [3]uint8{200, 200, 200}, [3]uint8{200, 30, 30}},
		{"far apart", [3]uint8{240, 240, 240}, [3]uint8{40, 40, 40}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			wall := [3]float32{float32(tc.wall[0]), float32(tc.wall[1]), float32(tc.wall[2])}
			subj := toOklab(tc.subject[:])
			got := tintToward(wall, subj)
			lab := toOklab([]uint8{clamp8(got[0]), clamp8(got[1]), clamp8(got[2])})
			if d := math.Abs(lab[0] - subj[0]); d < 0.14 {
				t.Errorf("wall lightness %.2f is %.2f from the subject's, want ≥ 0.14", lab[0], d)
			}
			before := toOklab(tc.wall[:])
			hueBefore := math.Hypot(before[1]-subj[1], before[2]-subj[2])
			hueAfter := math.Hypot(lab[1]-subj[1], lab[2]-subj[2])
			if hueBefore > 0.02 && hueAfter > hueBefore*0.75 {
				t.Errorf("hue distance %.3f → %.3f, want it a third closer", hueBefore, hueAfter)
			}
		})
	}
}
