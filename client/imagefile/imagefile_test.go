package imagefile

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/png"
	"testing"
)

func encode(t testing.TB, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestInspectAndDecode(t *testing.T) {
	rgba := image.NewNRGBA(image.Rect(0, 0, 30, 20))
	good := encode(t, rgba)
	cases := []struct {
		name      string
		data      []byte
		maxPixels int64
		want      error
	}{
		{"png", good, 0, nil},
		{"empty", nil, 0, ErrEmpty},
		{"text", []byte("hello, world"), 0, ErrNotImage},
		{"truncated", good[:len(good)/2], 0, ErrNotImage},
		{"over the cap", good, 599, ErrTooManyPixels},
		{"at the cap", good, 600, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			img, info, err := Decode(tc.data, tc.maxPixels)
			if !errors.Is(err, tc.want) {
				t.Fatalf("Decode = %v, want %v", err, tc.want)
			}
			if tc.want == nil && (info.Width != 30 || info.Height != 20 || img.Bounds().Dx() != 30) {
				t.Errorf("info %+v", info)
			}
		})
	}
}

func TestHasTransparencyAndGrayscale(t *testing.T) {
	opaque := image.NewNRGBA(image.Rect(0, 0, 4, 4))
	for i := range opaque.Pix {
		opaque.Pix[i] = 255
	}
	holed := image.NewNRGBA(opaque.Rect)
	copy(holed.Pix, opaque.Pix)
	holed.SetNRGBA(2, 2, color.NRGBA{})
	colour := image.NewNRGBA(opaque.Rect)
	copy(colour.Pix, opaque.Pix)
	colour.SetNRGBA(0, 0, color.NRGBA{255, 0, 0, 255})
	cases := []struct {
		name              string
		img               image.Image
		transparent, gray bool
	}{
		{"opaque white", opaque, false, true},
		{"one hole", holed, true, true},
		{"a red pixel", colour, false, false},
		{"gray type", image.NewGray(opaque.Rect), false, true},
	}
	for _, tc := range cases {
		if got := HasTransparency(tc.img); got != tc.transparent {
			t.Errorf("%s: HasTransparency = %v", tc.name, got)
		}
		if got := IsGrayscale(tc.img); got != tc.gray {
			t.Errorf("%s: IsGrayscale = %v", tc.name, got)
		}
	}
}
