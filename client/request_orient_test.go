package client

import (
	"image"
	"runtime"
	"strings"
	"testing"

	"github.com/zeninpaint/studio/client/clienttest"
)

// turnedJPEG is a JPEG stored w×h with an EXIF orientation, as phones write
// them.
func turnedJPEG(w, h int, o byte) []byte {
	jpeg := clienttest.JPEG(clienttest.Photo(w, h))
	tiff := []byte("MM\x00\x2a\x00\x00\x00\x08\x00\x01\x01\x12\x00\x03\x00\x00\x00\x01\x00")
	tiff = append(tiff, o, 0, 0, 0, 0, 0, 0)
	seg := append([]byte("Exif\x00\x00"), tiff...)
	out := []byte{0xFF, 0xD8, 0xFF, 0xE1, byte((len(seg) + 2) >> 8), byte(len(seg) + 2)}
	return append(append(out, seg...), jpeg[2:]...)
}

// Sizes are the upright ones everywhere: a mask that fits the upright
// photo is accepted, one that fits the stored pixels is not, and the
// output size is the upright one.
func TestValidateUsesUprightSizes(t *testing.T) {
	portrait := turnedJPEG(64, 48, 6) // stored 64×48, shown 48×64
	cases := []struct {
		name string
		mask []byte
		want string
	}{
		{"mask fits the upright photo", clienttest.PNG(clienttest.Mask(48, 64, image.Rect(5, 5, 20, 20))), ""},
		{"mask fits the stored pixels", clienttest.PNG(clienttest.Mask(64, 48, image.Rect(5, 5, 20, 20))), "the mask is 64×48 but the background is 48×64"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := Request{Mode: ModeInpaint, Subject: subjectPNG, Mask: tc.mask, Background: portrait}
			inputs, err := r.Validate(0)
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				if got := OutputSize(inputs); got != image.Pt(48, 64) {
					t.Errorf("output size %v, want 48×64", got)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want %q", err, tc.want)
			}
		})
	}
}

// A New background subject is checked for transparency without decoding
// it whole: a 4000×4000 RGBA PNG (64 MB decoded) is checked with a few
// megabytes, wherever its transparent pixel is.
func TestValidateTransparencyWithoutFullDecode(t *testing.T) {
	const side = 4000
	opaque := image.NewNRGBA(image.Rect(0, 0, side, side))
	for i := range opaque.Pix {
		opaque.Pix[i] = 255
	}
	lastRow := image.NewNRGBA(opaque.Rect)
	copy(lastRow.Pix, opaque.Pix)
	lastRow.Pix[len(lastRow.Pix)-1] = 0
	cases := []struct {
		name string
		img  image.Image
		want string
	}{
		{"transparent pixel in the last row", lastRow, ""},
		{"alpha channel, all opaque", opaque, "no transparent pixel"},
		{"no alpha channel", image.NewGray(image.Rect(0, 0, side, side)), "no transparent pixel"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := Request{Mode: ModeBackground, Subject: clienttest.PNG(tc.img)}
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			_, err := r.Validate(0)
			runtime.ReadMemStats(&after)
			if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
				t.Fatalf("error %v, want %q", err, tc.want)
			}
			if used := after.TotalAlloc - before.TotalAlloc; used > 8<<20 {
				t.Errorf("Validate allocated %d MB; a whole decode is %d MB", used>>20, side*side*4>>20)
			}
		})
	}
}
