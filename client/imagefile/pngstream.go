package imagefile

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
)

// pngHeader is what the chunks before the pixel data say.
type pngHeader struct {
	width, height int
	depth         int    // bits per sample: 1, 2, 4, 8 or 16
	colorType     int    // 0 gray, 2 RGB, 3 palette, 4 gray+alpha, 6 RGBA
	interlaced    bool   // Adam7
	palette       []byte // RGB triples
	trns          []byte // tRNS chunk: palette alphas, or the transparent colour key
	icc           []byte // iCCP chunk, inflated
	exif          []byte // eXIf chunk (a TIFF structure)
}

// channels is the samples per pixel of the colour type.
func (h *pngHeader) channels() int {
	switch h.colorType {
	case 2:
		return 3
	case 4:
		return 2
	case 6:
		return 4
	}
	return 1
}

// errDamagedPNG is what every structural problem of a PNG comes down to.
var errDamagedPNG = errors.New("the PNG data is damaged")

// readPNGChunks checks a PNG's signature and chunk checksums, reads its
// header chunks and, when withData, returns the concatenated compressed
// pixel data (a view into data when there is a single IDAT, a copy
// otherwise).
func readPNGChunks(data []byte, withData bool) (*pngHeader, []byte, error) {
	if !bytes.HasPrefix(data, pngSig) {
		return nil, nil, errDamagedPNG
	}
	h := &pngHeader{}
	var idat [][]byte
	sawIHDR, sawIEND := false, false
	for p := len(pngSig); p+12 <= len(data) && !sawIEND; {
		n := int64(binary.BigEndian.Uint32(data[p:]))
		if n > int64(len(data)-p-12) {
			return nil, nil, fmt.Errorf("%w: a chunk runs past the end of the file", errDamagedPNG)
		}
		typ, body := string(data[p+4:p+8]), data[p+8:p+8+int(n)]
		if crc32.ChecksumIEEE(data[p+4:p+8+int(n)]) != binary.BigEndian.Uint32(data[p+8+int(n):]) {
			return nil, nil, fmt.Errorf("%w: the %q chunk's checksum does not match", errDamagedPNG, typ)
		}
		p += 12 + int(n)
		if !sawIHDR && typ != "IHDR" {
			return nil, nil, fmt.Errorf("%w: no header chunk", errDamagedPNG)
		}
		switch typ {
		case "IHDR":
			if sawIHDR || len(body) != 13 {
				return nil, nil, fmt.Errorf("%w: a bad header chunk", errDamagedPNG)
			}
			sawIHDR = true
			w, ht := binary.BigEndian.Uint32(body), binary.BigEndian.Uint32(body[4:])
			if w > 1<<31-1 || ht > 1<<31-1 {
				return nil, nil, fmt.Errorf("%w: impossible dimensions", errDamagedPNG)
			}
			h.width, h.height, h.depth, h.colorType = int(w), int(ht), int(body[8]), int(body[9])
			h.interlaced = body[12] == 1
			if !validDepth(h.colorType, h.depth) || body[10] != 0 || body[11] != 0 || body[12] > 1 {
				return nil, nil, fmt.Errorf("%w: colour type %d at %d bits is not a PNG format", errDamagedPNG, h.colorType, h.depth)
			}
		case "PLTE":
			h.palette = body
		case "tRNS":
			h.trns = body
		case "iCCP":
			if name, rest, ok := bytes.Cut(body, []byte{0}); ok && len(name) < 80 && len(rest) > 1 && rest[0] == 0 {
				if icc, err := inflateLimit(rest[1:], 16<<20); err == nil {
					h.icc = icc
				}
			}
		case "eXIf":
			h.exif = body
		case "IDAT":
			if withData || len(idat) == 0 {
				idat = append(idat, body)
			}
		case "IEND":
			sawIEND = true
		}
	}
	if !sawIHDR {
		return nil, nil, fmt.Errorf("%w: no header chunk", errDamagedPNG)
	}
	if len(idat) == 0 {
		return h, nil, fmt.Errorf("%w: it has no pixel data", errDamagedPNG)
	}
	if h.colorType == 3 && (len(h.palette) == 0 || len(h.palette)%3 != 0) {
		return h, nil, fmt.Errorf("%w: a paletted image without a usable palette", errDamagedPNG)
	}
	if len(idat) == 1 || !withData {
		return h, idat[0], nil
	}
	return h, bytes.Join(idat, nil), nil
}

var pngSig = []byte("\x89PNG\r\n\x1a\n")

func validDepth(colorType, depth int) bool {
	switch colorType {
	case 0:
		return depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16
	case 3:
		return depth == 1 || depth == 2 || depth == 4 || depth == 8
	case 2, 4, 6:
		return depth == 8 || depth == 16
	}
	return false
}

// inflateLimit inflates zlib data of at most limit bytes.
func inflateLimit(data []byte, limit int64) ([]byte, error) {
	zr, err := zlib.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	out, err := io.ReadAll(io.LimitReader(zr, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(out)) > limit {
		return nil, errors.New("too large")
	}
	return out, nil
}

// adam7 is the interlacing passes: x and y offsets and steps.
var adam7 = [7][4]int{{0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4}, {0, 2, 2, 4}, {1, 0, 2, 2}, {0, 1, 1, 2}}

// pngRows inflates and unfilters the pixel data row by row, calling fn
// with each row's pixels converted to 8-bit NRGBA (4 bytes a pixel) and
// where they go: pixel i of the row is at (x0 + i*dx, y). Only two rows of
// the stored data and one converted row are held at a time, whatever the
// image's size or depth. fn returns false to stop early.
func pngRows(h *pngHeader, idat []byte, fn func(row []byte, x0, dx, y int) bool) error {
	zr, err := zlib.NewReader(bytes.NewReader(idat))
	if err != nil {
		return fmt.Errorf("%w: the pixel data does not start right", errDamagedPNG)
	}
	defer zr.Close()
	bitsPP := h.depth * h.channels()
	bpp := max(1, bitsPP/8) // the filter's byte distance
	pass := [][4]int{{0, 0, 1, 1}}
	if h.interlaced {
		pass = adam7[:]
	}
	alphas := paletteAlphas(h)
	for _, ps := range pass {
		pw, ph := (h.width-ps[0]+ps[2]-1)/ps[2], (h.height-ps[1]+ps[3]-1)/ps[3]
		if pw <= 0 || ph <= 0 {
			continue
		}
		rowBytes := (pw*bitsPP + 7) / 8
		cur, prev := make([]byte, 1+rowBytes), make([]byte, 1+rowBytes)
		out := make([]byte, 4*pw)
		for r := 0; r < ph; r++ {
			if _, err := io.ReadFull(zr, cur); err != nil {
				return fmt.Errorf("%w: the pixel data ends early", errDamagedPNG)
			}
			if err := unfilter(cur[0], cur[1:], prev[1:], bpp); err != nil {
				return err
			}
			toNRGBA(h, alphas, cur[1:], out, pw)
			if !fn(out, ps[0], ps[2], ps[1]+r*ps[3]) {
				return nil
			}
			cur, prev = prev, cur
		}
	}
	// Read to the end so the zlib checksum is verified.
	if _, err := io.Copy(io.Discard, io.LimitReader(zr, 1<<20)); err != nil {
		return fmt.Errorf("%w: the pixel data's checksum does not match", errDamagedPNG)
	}
	return nil
}

func unfilter(filter byte, cur, prev []byte, bpp int) error {
	switch filter {
	case 0:
	case 1:
		for i := bpp; i < len(cur); i++ {
			cur[i] += cur[i-bpp]
		}
	case 2:
		for i := range cur {
			cur[i] += prev[i]
		}
	case 3:
		for i := range cur {
			var left byte
			if i >= bpp {
				left = cur[i-bpp]
			}
			cur[i] += byte((int(left) + int(prev[i])) / 2)
		}
	case 4:
		for i := range cur {
			var a, c byte
			if i >= bpp {
				a, c = cur[i-bpp], prev[i-bpp]
			}
			cur[i] += paeth(a, prev[i], c)
		}
	default:
		return fmt.Errorf("%w: unknown row filter %d", errDamagedPNG, filter)
	}
	return nil
}

func paeth(a, b, c byte) byte {
	p := int(a) + int(b) - int(c)
	pa, pb, pc := abs(p-int(a)), abs(p-int(b)), abs(p-int(c))
	switch {
	case pa <= pb && pa <= pc:
		return a
	case pb <= pc:
		return b
	}
	return c
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// paletteAlphas is the alpha of each palette index (255 where tRNS says
// nothing).
func paletteAlphas(h *pngHeader) []byte {
	if h.colorType != 3 {
		return nil
	}
	a := bytes.Repeat([]byte{255}, 256)
	copy(a, h.trns)
	return a
}

// toNRGBA converts one unfiltered row of n pixels to 8-bit NRGBA, keeping
// the high byte of 16-bit samples (as the standard library's conversion
// does) and applying tRNS.
func toNRGBA(h *pngHeader, alphas, row, out []byte, n int) {
	sample := func(i int) int { // i-th sample of the row at the image's depth, for depths below 8
		bit := i * h.depth
		return int(row[bit/8]>>(8-h.depth-bit%8)) & (1<<h.depth - 1)
	}
	var key [3]int
	hasKey := false
	if (h.colorType == 0 && len(h.trns) >= 2) || (h.colorType == 2 && len(h.trns) >= 6) {
		hasKey = true
		for c := 0; c < len(h.trns)/2 && c < 3; c++ {
			key[c] = int(binary.BigEndian.Uint16(h.trns[2*c:]))
		}
	}
	for i := 0; i < n; i++ {
		o := out[4*i : 4*i+4]
		switch h.colorType {
		case 0:
			var v, raw int
			switch h.depth {
			case 16:
				raw = int(binary.BigEndian.Uint16(row[2*i:]))
				v = raw >> 8
			case 8:
				raw = int(row[i])
				v = raw
			default:
				raw = sample(i)
				v = raw * 255 / (1<<h.depth - 1)
			}
			o[0], o[1], o[2], o[3] = byte(v), byte(v), byte(v), 255
			if hasKey && raw == key[0] {
				o[3] = 0
			}
		case 2:
			if h.depth == 16 {
				s := row[6*i:]
				o[0], o[1], o[2], o[3] = s[0], s[2], s[4], 255
				if hasKey && int(binary.BigEndian.Uint16(s)) == key[0] && int(binary.BigEndian.Uint16(s[2:])) == key[1] &&
					int(binary.BigEndian.Uint16(s[4:])) == key[2] {
					o[3] = 0
				}
			} else {
				s := row[3*i:]
				o[0], o[1], o[2], o[3] = s[0], s[1], s[2], 255
				if hasKey && int(s[0]) == key[0] && int(s[1]) == key[1] && int(s[2]) == key[2] {
					o[3] = 0
				}
			}
		case 3:
			var idx int
			if h.depth < 8 {
				idx = sample(i)
			} else {
				idx = int(row[i])
			}
			if 3*idx+2 < len(h.palette) {
				o[0], o[1], o[2], o[3] = h.palette[3*idx], h.palette[3*idx+1], h.palette[3*idx+2], alphas[idx]
			} else {
				o[0], o[1], o[2], o[3] = 0, 0, 0, 255 // an index past the palette: opaque black
			}
		case 4:
			if h.depth == 16 {
				s := row[4*i:]
				o[0], o[1], o[2], o[3] = s[0], s[0], s[0], s[2]
			} else {
				s := row[2*i:]
				o[0], o[1], o[2], o[3] = s[0], s[0], s[0], s[1]
			}
		case 6:
			if h.depth == 16 {
				s := row[8*i:]
				o[0], o[1], o[2], o[3] = s[0], s[2], s[4], s[6]
			} else {
				copy(o, row[4*i:4*i+4])
			}
		}
	}
}

// HasTransparentPixel reports whether the image in data has at least one
// fully transparent pixel, without holding its pixels: an image whose
// header declares no alpha channel and no transparent colour has none; a
// PNG that does is scanned row by row until one is found. Other formats
// with alpha are decoded within the default memory budget.
func HasTransparentPixel(data []byte, maxPixels int64) (bool, error) {
	info, err := Inspect(data, maxPixels)
	if err != nil {
		return false, err
	}
	switch info.Format {
	case "png":
		if !info.Alpha {
			return false, nil
		}
		h, idat, err := readPNGChunks(data, true)
		if err != nil {
			return false, damaged("png", err)
		}
		found := false
		err = pngRows(h, idat, func(row []byte, _, _, _ int) bool {
			for i := 3; i < len(row); i += 4 {
				if row[i] == 0 {
					found = true
					return false
				}
			}
			return true
		})
		if err != nil {
			return false, damaged("png", err)
		}
		return found, nil
	case "jpeg", "bmp":
		return false, nil
	}
	img, _, err := Decode(data, maxPixels)
	if err != nil {
		return false, err
	}
	return HasTransparency(img), nil
}
