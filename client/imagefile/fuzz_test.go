package imagefile

import (
	"errors"
	"image"
	"os"
	"path/filepath"
	"testing"
)

// FuzzDecode: no input makes the header readers, the streaming PNG decoder
// or the transparency scan panic, and what decodes has the size Inspect
// promised.
func FuzzDecode(f *testing.F) {
	f.Add(encode(f, image.NewNRGBA(image.Rect(0, 0, 3, 2))))
	f.Add(withEXIF(encode(f, image.NewGray16(image.Rect(0, 0, 3, 2))), 6))
	for _, name := range []string{"alpha.webp", "lossless.webp"} {
		if data, err := os.ReadFile(filepath.Join("testdata", name)); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte{0xFF, 0xD8, 0xFF, 0xE1, 0, 8, 'E', 'x', 'i', 'f', 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		info, err := Inspect(data, 1<<20)
		img, got, derr := DecodeWithin(data, 1<<20, 64<<20)
		_, _ = HasTransparentPixel(data, 1<<20)
		_ = Orientation(data)
		_ = WithICC(data, []byte("profile"))
		if derr == nil {
			if err != nil || got.Width != info.Width || got.Height != info.Height || img.Bounds().Dx() != info.Width {
				t.Fatalf("Inspect said %dx%d (%v), Decode gave %dx%d", info.Width, info.Height, err, got.Width, got.Height)
			}
		} else if !errors.Is(derr, ErrNotImage) && !errors.Is(derr, ErrTooManyPixels) && !errors.Is(derr, ErrEmpty) {
			t.Fatalf("an error of no known kind: %v", derr)
		}
	})
}
