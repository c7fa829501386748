package client

import (
	"bytes"
	"encoding/binary"
)

// scrubMetadata drops from an image file every metadata block that holds
// the API key (in any letter case): a PNG's ancillary chunks, a JPEG's
// APPn and COM segments. A server that echoes the key into the picture it
// returns must not get it stored, saved or shared. The pixels are untouched;
// a file of another kind, or one that cannot be walked, is returned as is.
func scrubMetadata(data []byte, apiKey string) []byte {
	if len(apiKey) < 4 || !bytes.Contains(bytes.ToLower(data), bytes.ToLower([]byte(apiKey))) {
		return data
	}
	holds := func(b []byte) bool { return bytes.Contains(bytes.ToLower(b), bytes.ToLower([]byte(apiKey))) }
	switch {
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return scrubPNG(data, holds)
	case bytes.HasPrefix(data, []byte{0xFF, 0xD8}):
		return scrubJPEG(data, holds)
	}
	return data
}

// scrubPNG keeps every chunk but ancillary ones (lower-case first letter)
// that hold the secret.
func scrubPNG(data []byte, holds func([]byte) bool) []byte {
	out := append([]byte(nil), data[:8]...)
	for rest := data[8:]; len(rest) > 0; {
		if len(rest) < 12 {
			return data
		}
		n := int(binary.BigEndian.Uint32(rest[:4]))
		if n < 0 || n > len(rest)-12 {
			return data
		}
		chunk := rest[:12+n]
		ancillary := chunk[4]&0x20 != 0
		if !(ancillary && holds(chunk[8:8+n])) {
			out = append(out, chunk...)
		}
		rest = rest[12+n:]
	}
	return out
}

// scrubJPEG keeps every segment but APPn and COM ones that hold the
// secret; the entropy-coded data after the start of scan is copied whole.
func scrubJPEG(data []byte, holds func([]byte) bool) []byte {
	out := append([]byte(nil), data[:2]...)
	i := 2
	for i+4 <= len(data) {
		if data[i] != 0xFF {
			return data
		}
		marker := data[i+1]
		n := int(binary.BigEndian.Uint16(data[i+2 : i+4]))
		if n < 2 || i+2+n > len(data) {
			return data
		}
		seg := data[i : i+2+n]
		if marker == 0xDA { // start of scan: the rest is image data
			return append(out, data[i:]...)
		}
		isMeta := (marker >= 0xE0 && marker <= 0xEF) || marker == 0xFE
		if !(isMeta && holds(seg[4:])) {
			out = append(out, seg...)
		}
		i += 2 + n
	}
	return data
}
