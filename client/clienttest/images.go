// Package clienttest makes real, small image files for tests of the client,
// the engine and the app: PNG and JPEG bytes with known content.
package clienttest

import (
	"image"
	"image/color"
	"math"

	"github.com/zeninpaint/studio/client/imagefile"
)

// Photo is an opaque w×h RGB image with a smooth gradient and a grid of
// darker lines, so fills and crops have structure to get right or wrong.
func Photo(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		row := img.Pix[y*img.Stride : (y+1)*img.Stride]
		g := uint8(60 + 150*y/max(h, 1))
		for x := 0; x < w; x++ {
			px := row[4*x : 4*x+4 : 4*x+4]
			px[0], px[1], px[2], px[3] = uint8(40+180*x/max(w, 1)), g, 140, 255
			if x%16 == 0 || y%16 == 0 {
				px[0], px[1], px[2] = px[0]/2, px[1]/2, px[2]/2
			}
		}
	}
	return img
}

// Subject is a w×h image with a transparent background and an opaque,
// red disc in the middle with a one-pixel soft edge.
func Subject(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	cx, cy, r := float64(w)/2, float64(h)/2, float64(min(w, h))/3
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			dx, dy := float64(x)+0.5-cx, float64(y)+0.5-cy
			d := r - math.Hypot(dx, dy)
			switch {
			case d >= 1:
				img.SetNRGBA(x, y, color.NRGBA{200, 40, 30, 255})
			case d > 0:
				img.SetNRGBA(x, y, color.NRGBA{200, 40, 30, uint8(255 * d)})
			}
		}
	}
	return img
}

// Mask is a w×h grayscale mask, white (255) inside rect.
func Mask(w, h int, rect image.Rectangle) *image.Gray {
	img := image.NewGray(image.Rect(0, 0, w, h))
	rect = rect.Intersect(img.Rect)
	for y := rect.Min.Y; y < rect.Max.Y; y++ {
		row := img.Pix[y*img.Stride+rect.Min.X : y*img.Stride+rect.Max.X]
		for i := range row {
			row[i] = 255
		}
	}
	return img
}

// Depth is a w×h depth map: a floor getting nearer toward the bottom with
// a bright (near) box standing on it.
func Depth(w, h int) *image.Gray {
	img := image.NewGray(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		row := img.Pix[y*img.Stride : (y+1)*img.Stride]
		for x := range row {
			v := uint8(40 + 160*y/max(h, 1))
			if x > w/3 && x < 2*w/3 && y > h/3 && y < 3*h/4 {
				v = 230
			}
			row[x] = v
		}
	}
	return img
}

// PNG encodes img as PNG, failing the program on error (tests only).
func PNG(img image.Image) []byte {
	b, err := imagefile.PNGBytes(img)
	if err != nil {
		panic(err)
	}
	return b
}

// JPEG encodes img as a quality-90 JPEG (tests only).
func JPEG(img image.Image) []byte {
	b, err := imagefile.JPEGBytes(img, 90)
	if err != nil {
		panic(err)
	}
	return b
}

// P3Profile is a stand-in for a Display P3 ICC profile: a well-formed ICC
// header (display class, RGB, XYZ, "acsp") and a description tag, enough
// for tests that a profile travels with the pixels.
func P3Profile() []byte {
	desc := []byte("desc\x00\x00\x00\x00\x00\x00\x00\x0bDisplay P3\x00")
	size := 128 + 4 + 12 + len(desc)
	p := make([]byte, 128, size)
	put32 := func(b []byte, v uint32) { b[0], b[1], b[2], b[3] = byte(v>>24), byte(v>>16), byte(v>>8), byte(v) }
	put32(p[0:], uint32(size))
	copy(p[4:], "appl")
	put32(p[8:], 0x04000000)
	copy(p[12:], "mntrRGB XYZ ")
	copy(p[36:], "acsp")
	p = append(p, 0, 0, 0, 1)
	tag := make([]byte, 12)
	copy(tag, "desc")
	put32(tag[4:], 128+4+12)
	put32(tag[8:], uint32(len(desc)))
	p = append(p, tag...)
	return append(p, desc...)
}
