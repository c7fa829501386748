package engine

import (
	"image"
	"image/color"
	"testing"

	"github.com/disintegration/imaging"
)

// suitScene is a plain orange suit (a little shading and grain) filling
// suit, on a navy ground, with a badge of white and navy stripes at badge:
// the picture of issue #27's "badge fragment copied onto a plain orange
// suit".
func suitScene(w, h int, suit, badge image.Rectangle) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			g := float32(int(uint32(x*7919+y*104729)%9) - 4)
			shade := float32(y) / float32(h) * 16
			c := color.NRGBA{clamp8(228 - shade + g), clamp8(118 - shade/2 + g), clamp8(34 + g), 255}
			switch p := image.Pt(x, y); {
			case p.In(badge) && (y-badge.Min.Y)%4 < 2:
				c = color.NRGBA{22, 30, 92, 255}
			case p.In(badge):
				c = color.NRGBA{240, 240, 236, 255}
			case !p.In(suit):
				c = color.NRGBA{clamp8(30 + g), clamp8(38 + g), clamp8(90 + g), 255}
			}
			img.SetNRGBA(x, y, c)
		}
	}
	return img
}

// foreign reports whether c is none of the suit's orange: navy or white
// (its blue above the orange's, or its red far below).
func foreign(c [3]float32) bool {
	return c[2] > 90 || c[0] < 150
}

// A hole that covers most of a plain orange suit on a navy ground, a
// striped badge on the suit's corner: the few whole patches left on the
// suit are the only orange sources, and without the colour gate the patch
// search fills much of the hole with copies of the navy ground and the
// badge's edge. With it, no filled pixel has their colours; nor has the
// whole fill as the engine runs it (there the membrane's cross-validation
// guards too). A suit with more orange left needs no gate: the search
// finds orange anyway.
func TestColourGateKeepsForeignCopiesOut(t *testing.T) {
	t.Parallel()
	checkColourGate(t)
}

// checkColourGate is TestColourGateKeepsForeignCopiesOut's body, which
// TestPhotoBenchmark runs too.
func checkColourGate(t *testing.T) {
	cases := []struct {
		name       string
		half       int // half the suit's side; the hole's radius is 18
		ungatedMin int // foreign pixels the exemplar fill without the gate makes, at least
	}{
		{"little suit left", 27, 200},
		{"much suit left", 34, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			const w, h = 160, 120
			c := image.Pt(80, 60)
			suit := image.Rect(c.X-tc.half, c.Y-tc.half, c.X+tc.half, c.Y+tc.half)
			badge := image.Rect(suit.Max.X-9, suit.Max.Y-9, suit.Max.X-1, suit.Max.Y-1)
			input, mask := withObject(suitScene(w, h, suit, badge), c, 18)
			count := func(colour func(i int) [3]float32) int {
				n := 0
				for i, m := range mask.Pix {
					if m != 0 && foreign(colour(i)) {
						n++
					}
				}
				return n
			}
			for _, gated := range []bool{false, true} {
				ex, err := exemplarFillGated(quietTracker(), input, mask, input.Rect, 1, 0, 1, gated)
				if err != nil || ex == nil {
					t.Fatalf("exemplar fill (gate %v): %v, %v", gated, ex, err)
				}
				n := count(func(i int) [3]float32 { return [3]float32{ex.c[0][i], ex.c[1][i], ex.c[2][i]} })
				switch {
				case gated && n > 0:
					t.Errorf("the gated exemplar fill has %d navy or white pixels, want none", n)
				case !gated && n < tc.ungatedMin:
					t.Errorf("without the gate the exemplar fill has %d navy or white pixels, want ≥ %d (the scene no longer tests the gate)", n, tc.ungatedMin)
				}
			}
			out := imaging.Clone(input)
			if err := fill(quietTracker(), out, mask, 1, 0, 1); err != nil {
				t.Fatal(err)
			}
			pix := func(i int) [3]float32 {
				return [3]float32{float32(out.Pix[4*i]), float32(out.Pix[4*i+1]), float32(out.Pix[4*i+2])}
			}
			if n := count(pix); n > 0 {
				t.Errorf("the fill has %d navy or white pixels in the hole, want none", n)
			}
		})
	}
}

// The gate's penalty: none for a source of the surroundings' colour, a
// large one for a source of another colour when the surroundings are
// plain, and none for it when they are mixed (their spread covers it).
func TestColourGatePenalty(t *testing.T) {
	t.Parallel()
	const w, h = 60, 60
	cases := []struct {
		name    string
		ring    func(x, y int) [3]float32
		source  [3]float32
		penalty bool
	}{
		{"plain ring, its own colour", plain, [3]float32{228, 118, 34}, false},
		{"plain ring, a slightly lighter tone", plain, [3]float32{240, 130, 44}, false},
		{"plain ring, navy", plain, [3]float32{30, 38, 90}, true},
		{"plain ring, white", plain, [3]float32{240, 240, 236}, true},
		{"orange and navy ring, navy", func(x, y int) [3]float32 {
			if (x+y)%2 == 0 {
				return [3]float32{30, 38, 90}
			}
			return plain(x, y)
		}, [3]float32{30, 38, 90}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newField(w, h)
			for y := 0; y < h; y++ {
				for x := 0; x < w; x++ {
					i := y*w + x
					src := x < 10 && y < 10 // a block of the source colour
					f.setFixed(i, src || (x-35)*(x-35)+(y-35)*(y-35) > 100)
					c := tc.ring(x, y)
					if src {
						c = tc.source
					}
					for k := range f.c {
						f.c[k][i] = c[k]
					}
				}
			}
			m := newMatcher(f, 1)
			p := m.gate().penalty(m.f.at(35, 35), 5*w+5, 49)
			if got := p > 0; got != tc.penalty {
				t.Errorf("penalty %.0f, want one: %v", p, tc.penalty)
			}
		})
	}
}

func plain(x, y int) [3]float32 {
	g := float32(int(uint32(x*7919+y*104729)%9) - 4)
	return [3]float32{228 + g, 118 + g, 34 + g}
}
