// Package imagefile reads images safely: the header is decoded first and an
// image whose pixel count exceeds a cap is refused before any pixel is
// decoded, so a decompression bomb costs a few bytes of reading, not gigabytes
// of memory. JPEG EXIF orientation is applied on decode.
package imagefile

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/draw"
	_ "image/gif" // GIF inputs are accepted as well.
	"image/jpeg"
	"image/png"
	"io"
	"os"
	"path/filepath"

	"github.com/disintegration/imaging"
	_ "golang.org/x/image/bmp"  // BMP inputs from older tools.
	_ "golang.org/x/image/tiff" // TIFF exports from photo editors.
	_ "golang.org/x/image/webp" // WebP downloads.
)

// DefaultMaxPixels is the largest image accepted by default: 100 megapixels.
const DefaultMaxPixels = 100_000_000

// Errors returned by this package, matchable with errors.Is.
var (
	// ErrNotImage means the bytes are not an image in a supported format.
	ErrNotImage = errors.New("not a supported image (use PNG, JPEG, WebP, TIFF, BMP or GIF)")
	// ErrTooManyPixels means the image is larger than the pixel cap.
	ErrTooManyPixels = errors.New("image is too large")
	// ErrEmpty means the file or data holds no bytes at all.
	ErrEmpty = errors.New("the file is empty")
)

// Info describes an image from its header alone.
type Info struct {
	Format string // "png", "jpeg", ...
	Width  int
	Height int
}

// Pixels is Width×Height.
func (i Info) Pixels() int64 { return int64(i.Width) * int64(i.Height) }

// LongestSide is the larger of Width and Height.
func (i Info) LongestSide() int { return max(i.Width, i.Height) }

// Inspect decodes only the header of data and checks it against maxPixels
// (DefaultMaxPixels when maxPixels <= 0).
func Inspect(data []byte, maxPixels int64) (Info, error) {
	if len(data) == 0 {
		return Info{}, ErrEmpty
	}
	cfg, format, err := image.DecodeConfig(&peekReader{data: data})
	if err != nil {
		return Info{}, fmt.Errorf("%w: %v", ErrNotImage, err)
	}
	info := Info{Format: format, Width: cfg.Width, Height: cfg.Height}
	if err := checkSize(info, maxPixels); err != nil {
		return info, err
	}
	return info, nil
}

func checkSize(info Info, maxPixels int64) error {
	if maxPixels <= 0 {
		maxPixels = DefaultMaxPixels
	}
	if info.Width <= 0 || info.Height <= 0 {
		return fmt.Errorf("%w: it declares %d×%d pixels", ErrNotImage, info.Width, info.Height)
	}
	if info.Pixels() > maxPixels {
		return fmt.Errorf("%w: %d×%d is %.0f megapixels, the limit is %.0f", ErrTooManyPixels,
			info.Width, info.Height, float64(info.Pixels())/1e6, float64(maxPixels)/1e6)
	}
	return nil
}

// peekReader reads a byte slice and can Peek, so image.DecodeConfig needs
// no buffered copy of it.
type peekReader struct {
	data []byte
}

func (p *peekReader) Read(b []byte) (int, error) {
	if len(p.data) == 0 {
		return 0, io.EOF
	}
	n := copy(b, p.data)
	p.data = p.data[n:]
	return n, nil
}

func (p *peekReader) Peek(n int) ([]byte, error) {
	if n > len(p.data) {
		return p.data, io.EOF
	}
	return p.data[:n], nil
}

// Decode checks the header of data, then decodes the pixels, applying the
// EXIF orientation of JPEG photos so they come out upright.
func Decode(data []byte, maxPixels int64) (image.Image, Info, error) {
	info, err := Inspect(data, maxPixels)
	if err != nil {
		return nil, info, err
	}
	var img image.Image
	if info.Format == "jpeg" {
		img, err = imaging.Decode(bytes.NewReader(data), imaging.AutoOrientation(true))
	} else {
		img, _, err = image.Decode(bytes.NewReader(data))
	}
	if err != nil {
		return nil, info, fmt.Errorf("%w: the %s data is damaged: %v", ErrNotImage, info.Format, err)
	}
	b := img.Bounds()
	info.Width, info.Height = b.Dx(), b.Dy()
	return img, info, nil
}

// Orientation returns the EXIF orientation (1–8) of JPEG data, or 1 when
// it has none: 1 is upright; the others are turned or mirrored and are
// shown upright by Decode.
func Orientation(data []byte) int {
	// Walk the JPEG markers to APP1 "Exif\0\0", then the TIFF IFD0 for tag
	// 0x0112.
	if len(data) < 4 || data[0] != 0xFF || data[1] != 0xD8 {
		return 1
	}
	for p := 2; p+4 <= len(data) && data[p] == 0xFF; {
		marker, size := data[p+1], int(data[p+2])<<8|int(data[p+3])
		if marker == 0xDA || size < 2 || p+2+size > len(data) { // start of scan: no EXIF before it
			return 1
		}
		seg := data[p+4 : p+2+size]
		if marker == 0xE1 && len(seg) > 14 && string(seg[:6]) == "Exif\x00\x00" {
			return exifOrientation(seg[6:])
		}
		p += 2 + size
	}
	return 1
}

func exifOrientation(tiff []byte) int {
	var order binary.ByteOrder
	switch string(tiff[:2]) {
	case "II":
		order = binary.LittleEndian
	case "MM":
		order = binary.BigEndian
	default:
		return 1
	}
	ifd := int(order.Uint32(tiff[4:8]))
	if ifd+2 > len(tiff) {
		return 1
	}
	n := int(order.Uint16(tiff[ifd:]))
	for i := 0; i < n; i++ {
		e := ifd + 2 + 12*i
		if e+12 > len(tiff) {
			return 1
		}
		if order.Uint16(tiff[e:]) == 0x0112 {
			if v := int(order.Uint16(tiff[e+8:])); v >= 1 && v <= 8 {
				return v
			}
			return 1
		}
	}
	return 1
}

// ReadFile reads a whole file, refusing files larger than maxBytes.
func ReadFile(path string, maxBytes int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return nil, fmt.Errorf("%s is a folder, not an image file", filepath.Base(path))
	} else if err == nil && st.Size() > maxBytes {
		return nil, fmt.Errorf("%w: the file is over %d MB", ErrTooManyPixels, maxBytes>>20)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	if int64(len(data)) > maxBytes {
		return nil, fmt.Errorf("%w: the file is over %d MB", ErrTooManyPixels, maxBytes>>20)
	}
	return data, nil
}

// HasTransparency reports whether at least one pixel is fully transparent.
func HasTransparency(img image.Image) bool {
	if o, ok := img.(interface{ Opaque() bool }); ok && o.Opaque() {
		return false
	}
	b := img.Bounds()
	if n, ok := img.(*image.NRGBA); ok {
		for y := b.Min.Y; y < b.Max.Y; y++ {
			row := n.Pix[n.PixOffset(b.Min.X, y):n.PixOffset(b.Max.X, y)]
			for i := 3; i < len(row); i += 4 {
				if row[i] == 0 {
					return true
				}
			}
		}
		return false
	}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if _, _, _, a := img.At(x, y).RGBA(); a == 0 {
				return true
			}
		}
	}
	return false
}

// IsGrayscale reports whether the image is stored as grayscale, or has
// identical red, green and blue in every pixel of a sparse sample grid.
func IsGrayscale(img image.Image) bool {
	switch img.(type) {
	case *image.Gray, *image.Gray16:
		return true
	}
	b := img.Bounds()
	stepX, stepY := max(1, b.Dx()/64), max(1, b.Dy()/64)
	for y := b.Min.Y; y < b.Max.Y; y += stepY {
		for x := b.Min.X; x < b.Max.X; x += stepX {
			r, g, bl, _ := img.At(x, y).RGBA()
			if r != g || g != bl {
				return false
			}
		}
	}
	return true
}

// ToNRGBA returns img as *image.NRGBA with bounds starting at (0,0), copying
// only when it has another type or origin.
func ToNRGBA(img image.Image) *image.NRGBA {
	if n, ok := img.(*image.NRGBA); ok && n.Rect.Min == (image.Point{}) {
		return n
	}
	b := img.Bounds()
	out := image.NewNRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(out, out.Rect, img, b.Min, draw.Src)
	return out
}

// ToGray returns img's luminance as *image.Gray with bounds at (0,0).
func ToGray(img image.Image) *image.Gray {
	if g, ok := img.(*image.Gray); ok && g.Rect.Min == (image.Point{}) {
		return g
	}
	b := img.Bounds()
	out := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(out, out.Rect, img, b.Min, draw.Src)
	return out
}

// EncodePNG encodes img as PNG with fast compression, which is what a
// round trip through a local server or a file save wants.
func EncodePNG(w io.Writer, img image.Image) error {
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	return enc.Encode(w, img)
}

// PNGBytes encodes img as PNG and returns the bytes.
func PNGBytes(img image.Image) ([]byte, error) {
	var buf bytes.Buffer
	if err := EncodePNG(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// JPEGBytes encodes img as a JPEG of the given quality.
func JPEGBytes(img image.Image, quality int) ([]byte, error) {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: quality}); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Bounds is the bounding box of g's pixels at or above threshold (empty
// when there are none), relative to g's origin.
func Bounds(g *image.Gray, threshold uint8) image.Rectangle {
	var b image.Rectangle
	for y := 0; y < g.Rect.Dy(); y++ {
		row := g.Pix[y*g.Stride : y*g.Stride+g.Rect.Dx()]
		first, last := -1, -1
		for x, v := range row {
			if v >= threshold {
				if first < 0 {
					first = x
				}
				last = x
			}
		}
		if first >= 0 {
			b = b.Union(image.Rect(first, y, last+1, y+1))
		}
	}
	return b
}
