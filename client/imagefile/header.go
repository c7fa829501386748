package imagefile

import (
	"bytes"
	"encoding/binary"
)

// Header facts beyond the size, read without decoding any pixel: what the
// memory a decode needs depends on, and the metadata Go's decoders drop.

// jpegHeader walks a JPEG's markers up to the first scan: whether it is
// progressive, its components and sampling (as samples per pixel, e.g. 1.5
// for 4:2:0), its EXIF orientation and its ICC profile (APP2 chunks in
// order).
func jpegHeader(data []byte) (progressive bool, channels int, samples float64, orientation int, icc []byte) {
	orientation = 1
	if len(data) < 4 || data[0] != 0xFF || data[1] != 0xD8 {
		return
	}
	var iccParts [][]byte
	for p := 2; p+4 <= len(data); {
		if data[p] != 0xFF {
			break
		}
		marker := data[p+1]
		if marker == 0xFF { // fill byte
			p++
			continue
		}
		if marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01 {
			p += 2
			continue
		}
		size := int(data[p+2])<<8 | int(data[p+3])
		if marker == 0xDA || size < 2 || p+2+size > len(data) {
			break
		}
		seg := data[p+4 : p+2+size]
		switch {
		case marker == 0xE1 && len(seg) > 14 && string(seg[:6]) == "Exif\x00\x00":
			orientation = tiffOrientation(seg[6:])
		case marker == 0xE2 && len(seg) > 14 && string(seg[:12]) == "ICC_PROFILE\x00":
			iccParts = append(iccParts, seg[14:])
		case marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC:
			// SOFn: precision, height, width, components (id, sampling, table).
			progressive = marker == 0xC2 || marker == 0xC6 || marker == 0xCA || marker == 0xCE
			if len(seg) >= 6 {
				channels = int(seg[5])
				hmax, vmax, sum := 1, 1, 0
				for c := 0; c < channels && 6+3*c+1 < len(seg); c++ {
					h, v := int(seg[6+3*c+1]>>4), int(seg[6+3*c+1]&15)
					hmax, vmax, sum = max(hmax, h), max(vmax, v), sum+max(h, 1)*max(v, 1)
				}
				samples = float64(sum) / float64(hmax*vmax)
			}
		}
		p += 2 + size
	}
	if len(iccParts) > 0 {
		icc = bytes.Join(iccParts, nil)
	}
	return
}

// tiffOrientation reads tag 0x0112 of IFD0 of a TIFF structure (EXIF, or a
// TIFF file): 1–8, or 1 when absent or unreadable.
func tiffOrientation(tiff []byte) int {
	if v, ok := tiffTag(tiff, 0x0112); ok && len(v) >= 2 {
		order := tiffOrder(tiff)
		if o := int(order.Uint16(v)); o >= 1 && o <= 8 {
			return o
		}
	}
	return 1
}

func tiffOrder(tiff []byte) binary.ByteOrder {
	if len(tiff) >= 2 && string(tiff[:2]) == "II" {
		return binary.LittleEndian
	}
	return binary.BigEndian
}

// tiffTag returns the value bytes of a tag of IFD0 (inline or at its
// offset), bounds-checked everywhere.
func tiffTag(tiff []byte, tag uint16) ([]byte, bool) {
	if len(tiff) < 8 || (string(tiff[:2]) != "II" && string(tiff[:2]) != "MM") {
		return nil, false
	}
	order := tiffOrder(tiff)
	ifd := int64(order.Uint32(tiff[4:8]))
	if ifd+2 > int64(len(tiff)) {
		return nil, false
	}
	n := int(order.Uint16(tiff[ifd:]))
	for i := 0; i < n; i++ {
		e := ifd + 2 + 12*int64(i)
		if e+12 > int64(len(tiff)) {
			return nil, false
		}
		if order.Uint16(tiff[e:]) != tag {
			continue
		}
		typ, count := order.Uint16(tiff[e+2:]), int64(order.Uint32(tiff[e+4:]))
		size := map[uint16]int64{1: 1, 2: 1, 3: 2, 4: 4, 7: 1}[typ] * count
		if size <= 0 {
			return nil, false
		}
		if size <= 4 {
			return tiff[e+8 : e+8+size], true
		}
		off := int64(order.Uint32(tiff[e+8:]))
		if off < 0 || off+size > int64(len(tiff)) {
			return nil, false
		}
		return tiff[off : off+size], true
	}
	return nil, false
}

// webpHeader reads a WebP's extended-format chunks: alpha, ICC profile and
// the EXIF orientation.
func webpHeader(data []byte) (alpha bool, orientation int, icc []byte) {
	orientation = 1
	if len(data) < 12 || string(data[:4]) != "RIFF" || string(data[8:12]) != "WEBP" {
		return
	}
	for p := 12; p+8 <= len(data); {
		typ, n := string(data[p:p+4]), int64(binary.LittleEndian.Uint32(data[p+4:]))
		if n > int64(len(data)-p-8) {
			break
		}
		body := data[p+8 : p+8+int(n)]
		switch typ {
		case "VP8X":
			if len(body) > 0 {
				alpha = body[0]&0x10 != 0
			}
		case "VP8L":
			if len(body) >= 5 {
				alpha = alpha || body[4]&0x10 != 0
			}
		case "ICCP":
			icc = bytes.Clone(body)
		case "EXIF":
			exif := body
			if bytes.HasPrefix(exif, []byte("Exif\x00\x00")) {
				exif = exif[6:]
			}
			orientation = tiffOrientation(exif)
		}
		p += 8 + int(n) + int(n&1)
	}
	return
}
