package imagefile

import (
	"encoding/binary"
	"errors"
)

// errCutShort is a file whose data ends before its image does.
var errCutShort = errors.New("the file ends before the image does")

// CheckComplete reports, without decoding the pixels, whether data (whose
// header Inspect read as info) holds its whole image: a JPEG's segments and
// scans run to its end marker, a PNG's chunks to IEND. A file cut short is
// refused here as Decode would refuse it, so a request is never sent with
// an image the app itself could not open. Other formats are decoded whole
// when loaded and pass.
func CheckComplete(data []byte, info Info) error {
	var err error
	switch info.Format {
	case "jpeg":
		err = jpegComplete(data)
	case "png":
		_, _, err = readPNGChunks(data, false)
	}
	if err != nil {
		return damaged(info.Format, err)
	}
	return nil
}

// jpegComplete walks a JPEG's markers: each segment by its length, each
// scan's entropy-coded data to the next marker, until EOI.
func jpegComplete(data []byte) error {
	if len(data) < 4 || data[0] != 0xFF || data[1] != 0xD8 {
		return errCutShort
	}
	for p := 2; ; {
		for p < len(data) && data[p] == 0xFF && p+1 < len(data) && data[p+1] == 0xFF {
			p++ // fill bytes
		}
		if p+1 >= len(data) || data[p] != 0xFF {
			return errCutShort
		}
		marker := data[p+1]
		p += 2
		switch {
		case marker == 0xD9: // EOI
			return nil
		case marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7): // no length
			continue
		}
		if p+2 > len(data) {
			return errCutShort
		}
		n := int(binary.BigEndian.Uint16(data[p:]))
		if n < 2 || p+n > len(data) {
			return errCutShort
		}
		p += n
		if marker != 0xDA { // not SOS: the next marker follows
			continue
		}
		// Entropy-coded data: up to a marker that is not a stuffed 0xFF00
		// or a restart.
		for {
			for p < len(data) && data[p] != 0xFF {
				p++
			}
			if p+1 >= len(data) {
				return errCutShort
			}
			if next := data[p+1]; next == 0x00 || next == 0xFF || (next >= 0xD0 && next <= 0xD7) {
				p += 2
				if next == 0xFF {
					p-- // a fill byte before a marker
				}
				continue
			}
			break
		}
	}
}
