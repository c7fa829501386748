package imagefile

import (
	"bytes"
	"image"
)

// oriented is an output image being filled row by row from a source
// stored with an EXIF orientation, so turning costs no second copy.
type oriented struct {
	img    image.Image
	pix    []byte
	stride int
	bpp    int // 1 (Gray) or 4 (NRGBA)
	w, h   int // the source's size, as stored
	o      int
}

// newOriented makes the upright output for a w×h source in orientation o:
// *image.Gray when gray, else *image.NRGBA.
func newOriented(w, h, o int, gray bool) *oriented {
	if o < 1 || o > 8 {
		o = 1
	}
	ow, oh := w, h
	if o >= 5 {
		ow, oh = h, w
	}
	d := &oriented{w: w, h: h, o: o}
	if gray {
		g := image.NewGray(image.Rect(0, 0, ow, oh))
		d.img, d.pix, d.stride, d.bpp = g, g.Pix, g.Stride, 1
	} else {
		n := image.NewNRGBA(image.Rect(0, 0, ow, oh))
		d.img, d.pix, d.stride, d.bpp = n, n.Pix, n.Stride, 4
	}
	return d
}

// at is where source pixel (x, y) goes in the upright output.
func (d *oriented) at(x, y int) (int, int) {
	switch d.o {
	case 2:
		return d.w - 1 - x, y
	case 3:
		return d.w - 1 - x, d.h - 1 - y
	case 4:
		return x, d.h - 1 - y
	case 5:
		return y, x
	case 6:
		return d.h - 1 - y, x
	case 7:
		return d.h - 1 - y, d.w - 1 - x
	case 8:
		return y, d.w - 1 - x
	}
	return x, y
}

// put stores a row of source pixels given as 4-byte NRGBA: pixel i is
// source pixel (x0 + i*dx, y). A Gray output takes the first byte of each.
func (d *oriented) put(row []byte, x0, dx, y int) {
	n := len(row) / 4
	if d.o == 1 && dx == 1 && d.bpp == 4 {
		copy(d.pix[y*d.stride+4*x0:], row)
		return
	}
	for i := 0; i < n; i++ {
		ox, oy := d.at(x0+i*dx, y)
		off := oy*d.stride + ox*d.bpp
		if d.bpp == 1 {
			d.pix[off] = row[4*i]
		} else {
			copy(d.pix[off:off+4], row[4*i:4*i+4])
		}
	}
}

// Orientation returns the EXIF orientation (1–8) stored in JPEG, PNG
// (eXIf), WebP or TIFF data, or 1 when it has none: 1 is upright; the
// others are turned or mirrored and are shown upright by Decode.
func Orientation(data []byte) int {
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xD8}):
		_, _, _, o, _ := jpegHeader(data)
		return o
	case bytes.HasPrefix(data, pngSig):
		if h, _, err := readPNGChunks(data, false); err == nil && h.exif != nil {
			return tiffOrientation(h.exif)
		}
	case bytes.HasPrefix(data, []byte("RIFF")):
		_, o, _ := webpHeader(data)
		return o
	case bytes.HasPrefix(data, []byte("II*\x00")), bytes.HasPrefix(data, []byte("MM\x00*")):
		return tiffOrientation(data)
	}
	return 1
}
