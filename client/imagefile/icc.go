package imagefile

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"io"
)

// Go's encoders write no colour profile, and its decoders drop the one a
// file has, so a Display P3 photo would be sent and saved as if it were
// sRGB. WithICC puts the profile back into encoded bytes.

// ICC returns the colour profile embedded in image data (PNG iCCP, JPEG
// APP2, WebP ICCP, TIFF tag 34675), or nil.
func ICC(data []byte) []byte {
	info, err := Inspect(data, 1<<62)
	if err != nil {
		return nil
	}
	return info.ICC
}

// WithICC returns PNG or JPEG bytes with icc as their colour profile
// (replacing any they had); other data, or a nil profile, is returned as
// it is.
func WithICC(data, icc []byte) []byte {
	if len(icc) == 0 {
		return data
	}
	switch {
	case bytes.HasPrefix(data, pngSig):
		return pngWithICC(data, icc)
	case bytes.HasPrefix(data, []byte{0xFF, 0xD8}):
		return jpegWithICC(data, icc)
	}
	return data
}

// pngWithICC puts an iCCP chunk right after IHDR, dropping any iCCP, sRGB
// or gAMA chunk (a profile overrides them).
func pngWithICC(data, icc []byte) []byte {
	const afterIHDR = 8 + 25
	if len(data) < afterIHDR {
		return data
	}
	var z bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
	zw.Write(icc)
	zw.Close()
	body := append([]byte("ICC profile\x00\x00"), z.Bytes()...)
	out := bytes.NewBuffer(make([]byte, 0, len(data)+len(body)+12))
	out.Write(data[:afterIHDR])
	WritePNGChunk(out, "iCCP", body)
	for p := afterIHDR; p+12 <= len(data); {
		n := int(binary.BigEndian.Uint32(data[p:]))
		if n < 0 || p+12+n > len(data) {
			out.Write(data[p:])
			break
		}
		switch string(data[p+4 : p+8]) {
		case "iCCP", "sRGB", "gAMA":
		default:
			out.Write(data[p : p+12+n])
		}
		p += 12 + n
	}
	return out.Bytes()
}

// WritePNGChunk writes one PNG chunk: its length, type, body and CRC.
// (Errors are w's: a bytes.Buffer has none, a bufio.Writer keeps its first.)
func WritePNGChunk(w io.Writer, typ string, body []byte) {
	var hdr [8]byte
	binary.BigEndian.PutUint32(hdr[:4], uint32(len(body)))
	copy(hdr[4:], typ)
	_, _ = w.Write(hdr[:])
	_, _ = w.Write(body)
	crc := crc32.NewIEEE()
	crc.Write(hdr[4:])
	crc.Write(body)
	var sum [4]byte
	binary.BigEndian.PutUint32(sum[:], crc.Sum32())
	_, _ = w.Write(sum[:])
}

// jpegWithICC puts the profile in APP2 ICC_PROFILE segments after the
// APP0/APP1 segments at the start, dropping any there were.
func jpegWithICC(data, icc []byte) []byte {
	const chunk = 65519 // 65535 - 2 (length) - 14 (signature and numbering)
	count := (len(icc) + chunk - 1) / chunk
	if count > 255 {
		return data
	}
	var segs bytes.Buffer
	for i := 0; i < count; i++ {
		part := icc[i*chunk : min(len(icc), (i+1)*chunk)]
		n := 2 + 14 + len(part)
		segs.Write([]byte{0xFF, 0xE2, byte(n >> 8), byte(n)})
		segs.WriteString("ICC_PROFILE\x00")
		segs.Write([]byte{byte(i + 1), byte(count)})
		segs.Write(part)
	}
	out := bytes.NewBuffer(make([]byte, 0, len(data)+segs.Len()))
	out.Write(data[:2])
	p := 2
	for p+4 <= len(data) && data[p] == 0xFF {
		marker := data[p+1]
		size := int(data[p+2])<<8 | int(data[p+3])
		if p+2+size > len(data) || size < 2 {
			break
		}
		if marker != 0xE0 && marker != 0xE1 && marker != 0xE2 {
			break
		}
		seg := data[p : p+2+size]
		if !(marker == 0xE2 && bytes.HasPrefix(seg[4:], []byte("ICC_PROFILE\x00"))) {
			out.Write(seg)
		}
		p += 2 + size
	}
	out.Write(segs.Bytes())
	out.Write(data[p:])
	return out.Bytes()
}
