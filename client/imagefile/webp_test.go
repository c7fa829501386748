package imagefile

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/disintegration/imaging"
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

// The EXIF orientation stored in a WebP (an EXIF chunk) and in a TIFF
// (tag 0x0112) is applied as a JPEG's is: both files hold the 6×4 source
// with orientation 6 (turn 90° clockwise to view), made once with webpmux
// and ImageMagick.
func TestOrientationFromWebPAndTIFF(t *testing.T) {
	srcData, err := os.ReadFile(filepath.Join("testdata", "turned6-upright-source.png"))
	if err != nil {
		t.Fatal(err)
	}
	src, _, err := Decode(srcData, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := imaging.Rotate270(src) // imaging turns counter-clockwise
	for _, name := range []string{"turned6.webp", "turned6.tiff"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		if o := Orientation(data); o != 6 {
			t.Errorf("%s: orientation %d, want 6", name, o)
		}
		info, err := Inspect(data, 0)
		if err != nil || info.Width != 4 || info.Height != 6 {
			t.Errorf("%s: Inspect %dx%d (%v), want the upright 4×6", name, info.Width, info.Height, err)
		}
		img, _, err := Decode(data, 0)
		if err != nil {
			t.Fatal(err)
		}
		if d := maxDiff(t, asNRGBA(img), want); d > 0 {
			t.Errorf("%s: differs from the source turned upright by %d", name, d)
		}
	}
}
