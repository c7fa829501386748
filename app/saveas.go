package app

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"fyne.io/fyne/v2"

	"github.com/zeninpaint/studio/app/jobs"
	"github.com/zeninpaint/studio/client/imagefile"
)

// jpegQuality is the quality of results saved as JPEG: high, as photo
// editors export.
const jpegQuality = 92

// encodeForName turns a saved result (PNG bytes with text metadata and
// perhaps a colour profile) into the format the chosen file name's
// extension names, and returns the bytes and the name to write: PNG as it
// is; JPEG at jpegQuality, flattened on white, with the colour profile
// (APP2) and the metadata (a comment segment). Any other extension (WebP
// included: no maintained Go encoder) gets ".png" added, so a name never
// promises a format its bytes are not.
func encodeForName(name string, pngData []byte) ([]byte, string, error) {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".png":
		return pngData, name, nil
	case ".jpg", ".jpeg", ".jpe":
		img, info, err := imagefile.Decode(pngData, 0)
		if err != nil {
			return nil, name, err
		}
		flat := image.NewNRGBA(img.Bounds())
		draw.Draw(flat, flat.Rect, &image.Uniform{C: color.White}, image.Point{}, draw.Src)
		draw.Draw(flat, flat.Rect, img, img.Bounds().Min, draw.Over)
		data, err := imagefile.JPEGBytes(flat, jpegQuality)
		if err != nil {
			return nil, name, fmt.Errorf("encoding the JPEG: %w", err)
		}
		data = imagefile.WithICC(data, info.ICC)
		return withJPEGComment(data, metadataText(pngData)), name, nil
	}
	return pngData, name + ".png", nil
}

// metadataText is a PNG's text metadata as "Key: value" lines, in the
// order of jobs.MetadataKeys, then any others.
func metadataText(pngData []byte) string {
	text := jobs.PNGText(pngData)
	var lines []string
	for _, k := range jobs.MetadataKeys {
		if v, ok := text[k]; ok {
			lines = append(lines, k+": "+v)
			delete(text, k)
		}
	}
	rest := make([]string, 0, len(text))
	for k := range text {
		rest = append(rest, k)
	}
	sort.Strings(rest)
	for _, k := range rest {
		lines = append(lines, k+": "+text[k])
	}
	return strings.Join(lines, "\n")
}

// withJPEGComment inserts a COM segment (UTF-8 text, cut to fit one
// segment) right after the JPEG's start marker.
func withJPEGComment(data []byte, comment string) []byte {
	if comment == "" || len(data) < 2 {
		return data
	}
	if len(comment) > 65533 {
		comment = strings.ToValidUTF8(comment[:65533], "")
	}
	n := len(comment) + 2
	var out bytes.Buffer
	out.Write(data[:2])
	out.Write([]byte{0xFF, 0xFE, byte(n >> 8), byte(n)})
	out.WriteString(comment)
	out.Write(data[2:])
	return out.Bytes()
}

// jpegComment reads the first COM segment of a JPEG ("" when none).
func jpegComment(data []byte) string {
	for p := 2; p+4 <= len(data) && data[p] == 0xFF; {
		size := int(data[p+2])<<8 | int(data[p+3])
		if data[p+1] == 0xDA || p+2+size > len(data) {
			break
		}
		if data[p+1] == 0xFE {
			return string(data[p+4 : p+2+size])
		}
		p += 2 + size
	}
	return ""
}

// writeSaveAs writes a result to the file the save dialog chose, in the
// format its extension names (see encodeForName); when the extension had
// to be corrected the dialog's empty file is replaced by the corrected
// one. It returns the name written.
func writeSaveAs(w fyne.URIWriteCloser, pngData []byte) (string, error) {
	name := w.URI().Name()
	data, final, err := encodeForName(name, pngData)
	if err != nil {
		w.Close()
		return "", fmt.Errorf("could not save %s: %w", name, err)
	}
	if final == name {
		if _, err := w.Write(data); err != nil {
			w.Close()
			return "", fmt.Errorf("could not save %s: %w", name, err)
		}
		return name, w.Close()
	}
	w.Close()
	path := w.URI().Path()
	_ = os.Remove(path) // the empty file the dialog made under the wrong name
	if err := os.WriteFile(filepath.Join(filepath.Dir(path), final), data, 0o644); err != nil {
		return "", fmt.Errorf("could not save %s: %w", final, err)
	}
	return final + " (as PNG: the name was corrected)", nil
}
