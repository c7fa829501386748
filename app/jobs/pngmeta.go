package jobs

import (
	"bytes"
	"encoding/binary"
	"errors"
	"strings"

	"github.com/zeninpaint/studio/client/imagefile"
)

var pngSignature = []byte("\x89PNG\r\n\x1a\n")

// WithPNGText returns the image as PNG bytes with tEXt chunks for each
// key/value (keys in the order given), re-encoding a non-PNG image first
// (upright, with its colour profile). The pixels are untouched.
func WithPNGText(data []byte, keys []string, values map[string]string) ([]byte, error) {
	if !bytes.HasPrefix(data, pngSignature) {
		img, info, err := imagefile.Decode(data, 0)
		if err != nil {
			return nil, err
		}
		if data, err = imagefile.PNGBytes(img); err != nil {
			return nil, err
		}
		data = imagefile.WithICC(data, info.ICC) // the colour profile stays
	}
	// The IHDR chunk comes first: 8 signature + 4 length + 4 type + 13 + 4 CRC.
	const afterIHDR = 8 + 4 + 4 + 13 + 4
	if len(data) < afterIHDR || string(data[12:16]) != "IHDR" {
		return nil, errors.New("the PNG has no header chunk")
	}
	var out bytes.Buffer
	out.Grow(len(data) + 256)
	out.Write(data[:afterIHDR])
	for _, k := range keys {
		v := values[k]
		if v == "" {
			continue
		}
		// tEXt holds ISO 8859-1; text beyond it goes in an iTXt chunk (UTF-8).
		typ, body := "tEXt", append(toLatin1(k), 0)
		if lv, ok := latin1(v); ok {
			body = append(body, lv...)
		} else {
			typ = "iTXt"
			body = append(body, 0, 0, 0, 0) // no compression, no language, no translated key
			body = append(body, strings.ToValidUTF8(v, "?")...)
		}
		imagefile.WritePNGChunk(&out, typ, body)
	}
	out.Write(data[afterIHDR:])
	return out.Bytes(), nil
}

// latin1 encodes s as ISO 8859-1 bytes, reporting false when it cannot.
func latin1(s string) ([]byte, bool) {
	b := make([]byte, 0, len(s))
	for _, r := range s {
		if r == 0 || r > 0xFF {
			return nil, false
		}
		b = append(b, byte(r))
	}
	return b, true
}

// toLatin1 is latin1 with '?' for what it cannot hold (for keys).
func toLatin1(s string) []byte {
	b := make([]byte, 0, len(s))
	for _, r := range s {
		if r == 0 || r > 0xFF {
			r = '?'
		}
		b = append(b, byte(r))
	}
	return b
}

func fromLatin1(b []byte) string {
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return string(r)
}

// PNGText reads the tEXt and uncompressed iTXt chunks of a PNG.
func PNGText(data []byte) map[string]string {
	out := map[string]string{}
	if !bytes.HasPrefix(data, pngSignature) {
		return out
	}
	for p := 8; p+12 <= len(data); {
		n := int(binary.BigEndian.Uint32(data[p:]))
		typ := string(data[p+4 : p+8])
		if n < 0 || p+12+n > len(data) {
			break
		}
		body := data[p+8 : p+8+n]
		switch typ {
		case "tEXt":
			if k, v, ok := bytes.Cut(body, []byte{0}); ok {
				out[fromLatin1(k)] = fromLatin1(v)
			}
		case "iTXt":
			// keyword NUL compression-flag method language NUL translated NUL text
			if k, rest, ok := bytes.Cut(body, []byte{0}); ok && len(rest) >= 2 && rest[0] == 0 {
				parts := bytes.SplitN(rest[2:], []byte{0}, 3)
				if len(parts) == 3 {
					out[fromLatin1(k)] = string(parts[2])
				}
			}
		}
		if typ == "IEND" {
			break
		}
		p += 12 + n
	}
	return out
}
