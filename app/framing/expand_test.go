package framing

import (
	"image"
	"image/color"
	"testing"
)

func TestExpandedSize(t *testing.T) {
	cases := []struct {
		size   image.Point
		rw, rh int
		want   image.Point
	}{
		{image.Pt(3000, 2000), 1, 1, image.Pt(3000, 3000)},
		{image.Pt(3000, 2000), 4, 5, image.Pt(3000, 3750)},
		{image.Pt(3000, 2000), 16, 9, image.Pt(3556, 2000)},
		{image.Pt(3000, 2000), 9, 16, image.Pt(3000, 5334)},
		{image.Pt(3000, 2000), 3, 2, image.Pt(3000, 2000)},
		{image.Pt(1000, 1000), 3, 2, image.Pt(1500, 1000)},
	}
	for _, c := range cases {
		got, err := ExpandedSize(c.size, c.rw, c.rh)
		if err != nil || got != c.want {
			t.Errorf("%v to %d:%d = %v (%v), want %v", c.size, c.rw, c.rh, got, err, c.want)
		}
	}
	if _, err := ExpandedSize(image.Pt(10, 10), 0, 5); err == nil {
		t.Error("a 0:5 shape was accepted")
	}
}

func TestExpandKeepsTheOriginalInPlace(t *testing.T) {
	img := image.NewNRGBA(image.Rect(0, 0, 40, 30))
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 7)
	}
	for _, a := range []Anchor{{0.5, 0.5}, {0, 0}, {1, 1}, {0, 0.5}} {
		e, err := Expand(img, image.Pt(60, 50), a, 4)
		if err != nil {
			t.Fatal(err)
		}
		want := image.Pt(int(20*a.X+0.5), int(20*a.Y+0.5))
		if e.Offset != want {
			t.Errorf("anchor %v: offset %v, want %v", a, e.Offset, want)
		}
		for y := range 30 {
			for x := range 40 {
				if e.Picture.NRGBAAt(x+e.Offset.X, y+e.Offset.Y) != img.NRGBAAt(x, y) {
					t.Fatalf("anchor %v: original pixel (%d,%d) moved or changed", a, x, y)
				}
				// Inside the band's reach the mask is 0.
				inBand := (e.Offset.X > 0 && x < 4) || (e.Offset.Y > 0 && y < 4) ||
					(e.Offset.X+40 < 60 && x >= 36) || (e.Offset.Y+30 < 50 && y >= 26)
				if got := e.Mask.GrayAt(x+e.Offset.X, y+e.Offset.Y); (got == color.Gray{}) == inBand {
					t.Fatalf("anchor %v: mask at original (%d,%d) = %v, band %v", a, x, y, got, inBand)
				}
			}
		}
		if e.Mask.GrayAt(0, 0).Y != 255 && e.Offset != (image.Point{}) {
			t.Errorf("anchor %v: the border is not masked", a)
		}
	}
	if _, err := Expand(img, image.Pt(30, 30), Anchor{}, 4); err == nil {
		t.Error("a smaller size was accepted")
	}
}
