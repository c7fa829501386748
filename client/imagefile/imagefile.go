// Package imagefile reads images safely: the header is decoded first, and an
// image whose pixel count exceeds a cap, or whose decode would need more
// memory than a budget (estimated from the header: format, progressive, bit
// depth, channels), is refused before any pixel is decoded. So a
// decompression bomb costs a few bytes of reading, not gigabytes of memory.
// Decoded images come out upright (the EXIF orientation of JPEG, PNG eXIf,
// WebP and TIFF is applied) and as *image.NRGBA, or *image.Gray for
// grayscale without transparency; the ICC profile is read from the header
// so it can be carried into what is sent and saved.
package imagefile

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/draw"
	_ "image/gif" // GIF inputs are accepted as well.
	"image/jpeg"
	"image/png"
	"io"
	"log/slog"
	"os"
	"runtime/debug"
	"strings"

	_ "golang.org/x/image/bmp"  // BMP inputs from older tools.
	_ "golang.org/x/image/tiff" // TIFF exports from photo editors.
	"golang.org/x/image/webp"
)

// DefaultMaxPixels is the largest image accepted by default: 100 megapixels.
const DefaultMaxPixels = 100_000_000

// DefaultMemoryBudget is the most memory one decode may hold at once by
// default, the decoded pixels included. With the program itself it keeps a
// process that opens any accepted image under 1 GiB.
const DefaultMemoryBudget = 800 << 20

// plainError is an error whose message is for people; errors.Is also
// matches the error it refines.
type plainError struct {
	msg string
	is  error
}

func (e *plainError) Error() string { return e.msg }
func (e *plainError) Unwrap() error { return e.is }

// Errors returned by this package, matchable with errors.Is.
var (
	// ErrNotImage means the bytes are not an image in a supported format.
	ErrNotImage = errors.New("not a supported image (use PNG, JPEG, WebP, TIFF, BMP or GIF)")
	// ErrDamaged means the bytes start as an image but are damaged or cut
	// short; it matches ErrNotImage too.
	ErrDamaged error = &plainError{"the file is damaged or incomplete", ErrNotImage}
	// ErrTooManyPixels means the image is larger than the pixel cap.
	ErrTooManyPixels = errors.New("image is too large")
	// ErrTooMuchMemory means decoding the image would need more memory than
	// the budget; it matches ErrTooManyPixels too.
	ErrTooMuchMemory error = &plainError{"image is too large to open", ErrTooManyPixels}
	// ErrEmpty means the file or data holds no bytes at all.
	ErrEmpty = errors.New("the file is empty")
)

// detailError shows a plain message and keeps the technical cause for
// errors.Is/As and the log, never for the screen.
type detailError struct {
	plain  error
	detail error
}

func (e *detailError) Error() string   { return e.plain.Error() }
func (e *detailError) Unwrap() []error { return []error{e.plain, e.detail} }

// Detail is the technical cause behind a plain error of this package, for
// the debug log ("" when there is none).
func Detail(err error) string {
	var d *detailError
	if errors.As(err, &d) {
		return d.detail.Error()
	}
	return ""
}

// damaged is a plain "damaged" error for format, keeping cause for the log.
func damaged(format string, cause error) error {
	plain := &plainError{fmt.Sprintf("the %s data is damaged or incomplete", formatName(format)), ErrDamaged}
	if strings.Contains(cause.Error(), "unsupported") || strings.Contains(cause.Error(), "not supported") {
		plain = &plainError{fmt.Sprintf("this kind of %s file is not supported (saved as an 8-bit PNG or JPEG it would open)",
			formatName(format)), ErrNotImage}
	}
	slog.Debug("image decode failed", "format", format, "error", cause)
	return &detailError{plain: plain, detail: cause}
}

// formatName is how people name a format: "PNG", "JPEG", "WebP".
func formatName(f string) string {
	switch f {
	case "png", "jpeg", "gif", "bmp", "tiff":
		return map[string]string{"png": "PNG", "jpeg": "JPEG", "gif": "GIF", "bmp": "BMP", "tiff": "TIFF"}[f]
	case "webp":
		return "WebP"
	}
	return f
}

// FormatName is the name people use for a format of Info.Format.
func FormatName(f string) string { return formatName(f) }

// Info describes an image from its header alone.
type Info struct {
	Format string // "png", "jpeg", ...
	// Width and Height are the upright size, as decoded and shown: an image
	// stored turned (Orientation 5–8) has them swapped from what is stored.
	Width  int
	Height int

	Orientation int     // EXIF orientation as stored, 1 (upright) to 8
	Depth       int     // bits per sample, when the header says
	Channels    int     // samples per pixel as stored, when the header says
	Progressive bool    // a progressive JPEG
	Interlaced  bool    // an interlaced PNG
	Alpha       bool    // an alpha channel or a transparent colour key
	ICC         []byte  // the embedded colour profile, or nil
	samples     float64 // JPEG: decoded bytes per pixel from the sampling
	gray        bool    // decodes to *image.Gray
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
		if errors.Is(err, image.ErrFormat) {
			slog.Debug("image header", "error", err)
			return Info{}, &detailError{plain: ErrNotImage, detail: err}
		}
		return Info{}, damaged(sniffFormat(data), err)
	}
	info := Info{Format: format, Width: cfg.Width, Height: cfg.Height, Orientation: 1}
	if err := checkSize(info, maxPixels); err != nil { // the count does not depend on the orientation
		return info, err
	}
	if err := info.readHeader(data); err != nil {
		return info, err
	}
	return info, nil
}

// sniffFormat names the format data claims to be by its first bytes.
func sniffFormat(data []byte) string {
	switch {
	case bytes.HasPrefix(data, pngSig):
		return "png"
	case bytes.HasPrefix(data, []byte{0xFF, 0xD8}):
		return "jpeg"
	case bytes.HasPrefix(data, []byte("GIF8")):
		return "gif"
	case bytes.HasPrefix(data, []byte("BM")):
		return "bmp"
	case bytes.HasPrefix(data, []byte("II*\x00")), bytes.HasPrefix(data, []byte("MM\x00*")):
		return "tiff"
	case len(data) >= 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		return "webp"
	}
	return "image"
}

// readHeader fills the facts beyond the size and makes the size upright.
func (i *Info) readHeader(data []byte) error {
	switch i.Format {
	case "png":
		h, _, err := readPNGChunks(data, false)
		if err != nil {
			return damaged("png", err)
		}
		i.Depth, i.Channels, i.Interlaced, i.ICC = h.depth, h.channels(), h.interlaced, h.icc
		i.Alpha = h.colorType == 4 || h.colorType == 6 || len(h.trns) > 0
		i.gray = h.colorType == 0 && len(h.trns) == 0
		if h.exif != nil {
			i.Orientation = tiffOrientation(h.exif)
		}
	case "jpeg":
		i.Progressive, i.Channels, i.samples, i.Orientation, i.ICC = jpegHeader(data)
		i.Depth, i.gray = 8, i.Channels == 1
	case "webp":
		i.Alpha, i.Orientation, i.ICC = webpHeader(data)
		i.Depth = 8
	case "tiff":
		i.Orientation = tiffOrientation(data)
		if icc, ok := tiffTag(data, 34675); ok {
			i.ICC = bytes.Clone(icc)
		}
		i.Depth = 8
		if v, ok := tiffTag(data, 258); ok && len(v) >= 2 {
			i.Depth = int(tiffOrder(data).Uint16(v))
		}
	case "gif":
		i.Depth, i.Channels = 8, 1
	}
	if i.Orientation >= 5 {
		i.Width, i.Height = i.Height, i.Width
	}
	return nil
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

// DecodeBytes estimates the most memory Decode holds at once for this
// image: the decoder's own buffers (a progressive JPEG keeps every DCT
// coefficient as an int32; a TIFF or BMP decodes at full depth) and the
// upright NRGBA or Gray image it returns.
func (i Info) DecodeBytes() int64 {
	px := float64(i.Pixels())
	out := 4.0
	if i.gray {
		out = 1
	}
	turned := i.Orientation != 1
	var peak float64
	switch i.Format {
	case "png":
		peak = out // rows are streamed into the output
	case "jpeg":
		s := i.samples
		if s <= 0 {
			s = max(float64(i.Channels), 3)
		}
		decoded := s * 1.05 // blocks pad the edges
		if i.Channels == 4 {
			decoded = 2*s + 4 // the CMYK planes, then the CMYK image
		}
		during := decoded
		if i.Progressive {
			during += 4 * s * 1.05
		}
		after := decoded + out
		if i.gray && !turned {
			after = decoded
		}
		peak = max(during, after)
	case "webp":
		peak = 10 // YCbCr, alpha, the lossless decoder's words, the output
		if turned {
			peak += 4
		}
	case "gif":
		peak = 1 + out
	case "tiff":
		peak = 2*float64(max(i.Depth, 8))/8*4 + out
	default: // bmp
		peak = 4 + out
	}
	return int64(peak*px) + 1<<20
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

// Decode is DecodeWithin with the default memory budget.
func Decode(data []byte, maxPixels int64) (image.Image, Info, error) {
	return DecodeWithin(data, maxPixels, DefaultMemoryBudget)
}

// DecodeWithin checks the header of data against maxPixels and the
// memory budget (bytes; DefaultMemoryBudget when <= 0), then decodes the
// pixels upright, as *image.Gray (grayscale without transparency) or
// *image.NRGBA.
func DecodeWithin(data []byte, maxPixels, budget int64) (image.Image, Info, error) {
	info, err := Inspect(data, maxPixels)
	if err != nil {
		return nil, info, err
	}
	if budget <= 0 {
		budget = DefaultMemoryBudget
	}
	if need := info.DecodeBytes(); need > budget {
		kind, hint := formatName(info.Format), "saved smaller it would open"
		switch {
		case info.Progressive:
			kind, hint = "progressive JPEG", "saved as a baseline (not progressive) JPEG, or smaller, it would open"
		case info.Depth > 8:
			kind, hint = fmt.Sprintf("%d-bit %s", info.Depth, kind), "saved at 8 bits per channel, or smaller, it would open"
		}
		return nil, info, fmt.Errorf("%w: opening this %d×%d %s would take about %d MB of memory, "+
			"over the %d MB this app allows (%s)", ErrTooMuchMemory, info.Width, info.Height, kind, need>>20, budget>>20, hint)
	}
	big := info.DecodeBytes() > 64<<20
	if big {
		debug.FreeOSMemory() // start from a lean heap: the estimate is what we add
	}
	var img image.Image
	switch info.Format {
	case "png":
		img, err = decodePNG(data, info)
	case "webp":
		var src image.Image
		if src, err = webp.Decode(bytes.NewReader(data)); err == nil {
			img = upright(src, info, big)
		}
	case "jpeg":
		var src image.Image
		if src, err = jpeg.Decode(bytes.NewReader(data)); err == nil {
			img = upright(src, info, big)
		}
	default:
		var src image.Image
		if src, _, err = image.Decode(bytes.NewReader(data)); err == nil {
			img = upright(src, info, big)
		}
	}
	if big {
		debug.FreeOSMemory() // the decoder's planes are garbage now: give them back before the caller's next step
	}
	if err != nil {
		if errors.Is(err, ErrDamaged) {
			return nil, info, err
		}
		return nil, info, damaged(info.Format, err)
	}
	b := img.Bounds()
	info.Width, info.Height = b.Dx(), b.Dy()
	return img, info, nil
}

// decodePNG streams a PNG's rows into the upright output: whatever its
// depth or interlacing, only the output and two rows are held.
func decodePNG(data []byte, info Info) (image.Image, error) {
	h, idat, err := readPNGChunks(data, true)
	if err != nil {
		return nil, err
	}
	d := newOriented(h.width, h.height, info.Orientation, info.gray)
	if err := pngRows(h, idat, func(row []byte, x0, dx, y int) bool {
		d.put(row, x0, dx, y)
		return true
	}); err != nil {
		return nil, err
	}
	return d.img, nil
}

// upright converts a decoded image to the output type and orientation one
// row at a time, so only the source and the output are held (and, after a
// big decode, the decoder's garbage is returned first).
func upright(src image.Image, info Info, big bool) image.Image {
	b := src.Bounds()
	o := info.Orientation
	switch s := src.(type) {
	case *image.Gray:
		if o == 1 && b.Min == (image.Point{}) {
			return s
		}
	case *image.NRGBA:
		if o == 1 && b.Min == (image.Point{}) {
			return s
		}
	}
	if big {
		debug.FreeOSMemory() // the decoder's buffers (DCT coefficients) are garbage now
	}
	_, gray := src.(*image.Gray)
	d := newOriented(b.Dx(), b.Dy(), o, gray)
	row := make([]byte, 4*b.Dx())
	rgba := &image.RGBA{Pix: row, Stride: len(row), Rect: image.Rect(0, 0, b.Dx(), 1)}
	nrgba := &image.NRGBA{Pix: row, Stride: len(row), Rect: rgba.Rect}
	for y := 0; y < b.Dy(); y++ {
		sy := b.Min.Y + y
		switch s := src.(type) {
		case *image.Gray:
			copy(row, s.Pix[s.PixOffset(b.Min.X, sy):][:b.Dx()])
		case *image.NRGBA:
			copy(row, s.Pix[s.PixOffset(b.Min.X, sy):][:4*b.Dx()])
		case *image.NYCbCrA:
			if info.Format == "webp" {
				vp8Row(&s.YCbCr, s.A, s.AStride, y, row) // WebP images start at (0, 0)
				break
			}
			draw.Draw(nrgba, nrgba.Rect, src, image.Pt(b.Min.X, sy), draw.Src)
		case *image.YCbCr:
			if info.Format == "webp" {
				vp8Row(s, nil, 0, y, row)
				break
			}
			// Opaque: the fast YCbCr→RGBA path gives NRGBA bytes.
			draw.Draw(rgba, rgba.Rect, src, image.Pt(b.Min.X, sy), draw.Src)
		default:
			draw.Draw(nrgba, nrgba.Rect, src, image.Pt(b.Min.X, sy), draw.Src)
		}
		d.put(row, 0, 1, y)
	}
	return d.img
}

// ReadFile reads a whole file, refusing files larger than maxBytes. Its
// errors are in plain words (the system's text is kept for Detail).
func ReadFile(path string, maxBytes int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, readError(err)
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return nil, errors.New("it is a folder, not an image file")
	} else if err == nil && st.Size() > maxBytes {
		return nil, fmt.Errorf("%w: the file is over %d MB", ErrTooManyPixels, maxBytes>>20)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxBytes+1))
	if err != nil {
		return nil, readError(err)
	}
	if int64(len(data)) > maxBytes {
		return nil, fmt.Errorf("%w: the file is over %d MB", ErrTooManyPixels, maxBytes>>20)
	}
	return data, nil
}

// readError says why a file could not be read, plainly.
func readError(err error) error {
	msg := "the file could not be read"
	switch {
	case errors.Is(err, os.ErrNotExist):
		msg = "the file is not there any more (moved or deleted?)"
	case errors.Is(err, os.ErrPermission):
		msg = "this app is not allowed to read the file (check its permissions)"
	}
	slog.Debug("reading an image file", "error", err)
	return &detailError{plain: errors.New(msg), detail: err}
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
	return fitted(buf.Bytes()), nil
}

// JPEGBytes encodes img as a JPEG of the given quality.
func JPEGBytes(img image.Image, quality int) ([]byte, error) {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: quality}); err != nil {
		return nil, err
	}
	return fitted(buf.Bytes()), nil
}

// fitted is b in an array of its own size when the buffer that grew it
// holds much more (a bytes.Buffer doubles): an encoded picture the app
// keeps, or sends, should cost its size, not up to twice that.
func fitted(b []byte) []byte {
	if cap(b)-len(b) > 1<<20 {
		return bytes.Clone(b)
	}
	return b
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
