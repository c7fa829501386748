package framing

import (
	"errors"
	"image"
	"image/color"
	"testing"

	"github.com/zeninpaint/studio/client"
	"github.com/zeninpaint/studio/client/clienttest"
)

func TestForMask(t *testing.T) {
	size := image.Pt(6000, 4000)
	mask := image.Rect(2000, 1500, 2400, 1800) // 400×300
	cases := []struct {
		name     string
		size     image.Point
		mask     image.Rectangle
		s        Settings
		wantBox  image.Rectangle
		wantSent image.Point
		credits  float64
	}{
		{"padding 25 % economy", size, mask, Settings{Context: AroundMask, PaddingPercent: 25, Resolution: Economy},
			image.Rect(1900, 1398, 2500, 1902), image.Pt(600, 504), 0.04},
		{"padding 50 px", size, mask, Settings{Context: AroundMask, Padding: 50, Resolution: Full},
			image.Rect(1948, 1450, 2452, 1850), image.Pt(504, 400), 0.04},
		{"whole image economy", size, mask, Settings{Context: WholeImage, Resolution: Economy},
			image.Rect(0, 0, 6000, 4000), image.Pt(2048, 1365), 0.04},
		{"whole image full", size, mask, Settings{Context: WholeImage, Resolution: Full},
			image.Rect(0, 0, 6000, 4000), image.Pt(6000, 4000), 0.05},
		{"touching the top-left corner", size, image.Rect(0, 0, 100, 80), Settings{Context: AroundMask, Padding: 40},
			image.Rect(0, 0, 184, 160), image.Pt(184, 160), 0.04},
		{"touching the bottom-right corner", size, image.Rect(5950, 3900, 6000, 4000), Settings{Context: AroundMask, Padding: 20},
			image.Rect(5904, 3856, 6000, 4000), image.Pt(96, 144), 0.04},
		{"a thin stripe grows its short side", size, image.Rect(1000, 1000, 3000, 1010), Settings{Context: AroundMask},
			image.Rect(1000, 505, 3000, 1505), image.Pt(2000, 1000), 0.04},
		{"a big box in economy", size, image.Rect(500, 500, 5500, 3500), Settings{Context: AroundMask, Resolution: Economy},
			image.Rect(500, 500, 5500, 3500), image.Pt(2048, 1228), 0.04},
		{"image smaller than a step", image.Pt(30, 20), image.Rect(5, 5, 10, 10), Settings{Context: AroundMask, Padding: 100},
			image.Rect(0, 0, 30, 20), image.Pt(30, 20), 0.04},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f, err := ForMask(tc.size, tc.mask, tc.s)
			if err != nil {
				t.Fatal(err)
			}
			if f.Box != tc.wantBox || f.Sent != tc.wantSent || client.EstimateCredits(f.Sent.X, f.Sent.Y) != tc.credits {
				t.Errorf("got box %v sent %v credits %v; want %v %v %v", f.Box, f.Sent, client.EstimateCredits(f.Sent.X, f.Sent.Y), tc.wantBox, tc.wantSent, tc.credits)
			}
			if !f.Box.In(image.Rectangle{Max: tc.size}) || !tc.mask.Intersect(image.Rectangle{Max: tc.size}).In(f.Box) {
				t.Errorf("box %v is outside the image or misses the mask %v", f.Box, tc.mask)
			}
		})
	}
	if _, err := ForMask(size, image.Rectangle{}, DefaultSettings); !errors.Is(err, ErrEmptyMask) {
		t.Errorf("empty mask: %v", err)
	}
}

func TestPasteInpaintChangesOnlyTheMask(t *testing.T) {
	original := clienttest.Photo(600, 400)
	maskBox := image.Rect(200, 150, 280, 210)
	mask := clienttest.Mask(600, 400, maskBox)
	f, err := ForMask(image.Pt(600, 400), maskBox, Settings{Context: AroundMask, Padding: 30, Resolution: Economy})
	if err != nil {
		t.Fatal(err)
	}
	sent := Crop(original, f)
	if sent.Rect.Size() != f.Sent || CropMask(mask, f).Rect.Size() != f.Sent {
		t.Fatalf("crop sizes %v, want %v", sent.Rect.Size(), f.Sent)
	}
	// A "result": the crop painted solid green, at half size as if scaled.
	green := color.NRGBA{0, 255, 0, 255}
	result := image.NewNRGBA(image.Rect(0, 0, f.Sent.X/2, f.Sent.Y/2))
	for i := range result.Pix {
		result.Pix[i] = []uint8{0, 255, 0, 255}[i%4]
	}
	const feather = 4
	out, err := PasteInpaint(original, mask, f, result, feather)
	if err != nil {
		t.Fatal(err)
	}
	core := maskBox.Inset(2 * feather) // beyond the feather's reach inward
	for y := 0; y < 400; y++ {
		for x := 0; x < 600; x++ {
			got, want := out.NRGBAAt(x, y), original.NRGBAAt(x, y)
			switch {
			case mask.GrayAt(x, y).Y == 0:
				if got != want {
					t.Fatalf("(%d,%d) outside the mask changed: %v -> %v", x, y, want, got)
				}
			case image.Pt(x, y).In(core):
				if got != green {
					t.Fatalf("(%d,%d) inside the mask = %v, want the result", x, y, got)
				}
			}
		}
	}
	if seam := out.NRGBAAt(maskBox.Max.X-1, 180); seam == green || seam == original.NRGBAAt(maskBox.Max.X-1, 180) {
		t.Errorf("no feathering at the seam inside the mask: %v", seam)
	}
}

func TestPasteSubjectKeepsOpaquePixelsExactly(t *testing.T) {
	subject := clienttest.Subject(3000, 2000)
	f := Whole(image.Pt(3000, 2000), Settings{Resolution: Economy})
	if f.Sent != image.Pt(2048, 1365) {
		t.Fatalf("economy sends %v", f.Sent)
	}
	result := image.NewNRGBA(image.Rect(0, 0, f.Sent.X, f.Sent.Y)) // a black "background"
	for i := 3; i < len(result.Pix); i += 4 {
		result.Pix[i] = 255
	}
	out := PasteSubject(subject, result)
	if out.Rect.Size() != image.Pt(3000, 2000) {
		t.Fatalf("result size %v, want the subject's", out.Rect.Size())
	}
	for i := 3; i < len(subject.Pix); i += 4 {
		if subject.Pix[i] == 255 && string(out.Pix[i-3:i+1]) != string(subject.Pix[i-3:i+1]) {
			t.Fatalf("opaque subject pixel %d changed", i/4)
		}
	}
}
