package imagefile

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

// WebP photos decode within 2/255 of libwebp's own decoder. The reference
// PNGs were made once with libwebp 1.2.4's dwebp from the .webp files in
// testdata (which cwebp made from ImageMagick gradients).
func TestWebPMatchesLibwebp(t *testing.T) {
	for _, name := range []string{"flat", "photo", "alpha", "lossless"} {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", name+".webp"))
			if err != nil {
				t.Fatal(err)
			}
			refData, err := os.ReadFile(filepath.Join("testdata", name+".dwebp.png"))
			if err != nil {
				t.Fatal(err)
			}
			ref, err := png.Decode(bytes.NewReader(refData))
			if err != nil {
				t.Fatal(err)
			}
			img, info, err := Decode(data, 0)
			if err != nil {
				t.Fatal(err)
			}
			if info.Format != "webp" {
				t.Errorf("format %q", info.Format)
			}
			d := maxDiff(t, asNRGBA(img), asNRGBA(ref))
			t.Logf("%s: largest difference from dwebp %d/255", name, d)
			if d > 2 {
				t.Errorf("differs from libwebp by %d/255, want ≤ 2", d)
			}
		})
	}
	// The colour of the issue: (220,180,40) must not come back (206,171,47).
	data, _ := os.ReadFile(filepath.Join("testdata", "flat.webp"))
	img, _, err := Decode(data, 0)
	if err != nil {
		t.Fatal(err)
	}
	c := asNRGBA(img).NRGBAAt(10, 10)
	for _, d := range []int{int(c.R) - 220, int(c.G) - 180, int(c.B) - 40} {
		if d > 2 || d < -2 {
			t.Fatalf("(220,180,40) decodes as (%d,%d,%d)", c.R, c.G, c.B)
		}
	}
}
