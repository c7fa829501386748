// Package document is what a designer works on in the studio, free of any
// window: the mode, the inputs by role, the prompts, the seed, the view,
// which result the canvas shows, a history of edits with undo and redo, and
// the workspace saved from it. The window reads it and listens to its
// changes; nothing in it knows about widgets.
package document

import (
	"fmt"
	"image"
	"log/slog"
	"path/filepath"

	"github.com/disintegration/imaging"

	"github.com/zeninpaint/studio/client/imagefile"
)

// MaxFileBytes refuses files larger than this before reading them whole.
const MaxFileBytes = 512 << 20

// Picture is an input the user gave. Its three images cannot be
// confused: Data is the file (what is sent when the whole image goes at
// full size), Preview is for the screen only (never sent), and pixels are
// the full-resolution decoded pixels, kept only from the load until the
// image is placed. Everything but pixels is immutable once loaded, so
// preparation goroutines may read it.
type Picture struct {
	Name        string
	Data        []byte // the file's bytes: PNG or JPEG, upright, with the file's colour profile
	Info        imagefile.Info
	Source      string      // the file's own format ("webp", "tiff", ...), for the caption
	Thumb       image.Image // at most 256 px on a side
	Preview     image.Image // at most PreviewSide px on a side, for display; nil for batch photos
	Gray        bool        // every pixel is a shade of grey
	Transparent bool        // some pixel is fully transparent
	pixels      image.Image // full resolution; only on the UI goroutine, dropped once placed
}

// PreviewSide is the longest side of the picture shown for an input.
const PreviewSide = 2048

// DecodePixels decodes an input's file at full resolution (upright, as
// Data is). It reads only immutable fields, so it is safe on any goroutine.
func DecodePixels(l *Picture) (image.Image, error) {
	img, _, err := imagefile.Decode(l.Data, imagefile.DefaultMaxPixels)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", l.Name, err)
	}
	return img, nil
}

// TakePixels returns the full pixels, decoding them again if they were
// dropped, and drops the kept copy (Fyne's goroutine only).
func (l *Picture) TakePixels() (image.Image, error) {
	if img := l.pixels; img != nil {
		l.pixels = nil
		return img, nil
	}
	return DecodePixels(l)
}

// refusal is why a file cannot be used, in words for the user: it names
// the file as it is on disk, after a capital, so no dialog capitalises the
// name itself. The technical cause goes to the debug log only.
type refusal struct {
	name string
	err  error
}

func (r *refusal) Error() string { return fmt.Sprintf("Can't use %s: %s.", r.name, r.err) }
func (r *refusal) Unwrap() error { return r.err }

func refuse(name string, err error) error {
	slog.Debug("image refused", "file", name, "reason", err, "detail", imagefile.Detail(err))
	return &refusal{name: name, err: err}
}

// LoadFile reads and checks an image file.
func LoadFile(path string) (*Picture, error) {
	data, err := imagefile.ReadFile(path, MaxFileBytes)
	if err != nil {
		return nil, refuse(filepath.Base(path), err)
	}
	return LoadBytes(filepath.Base(path), data)
}

// LoadBytes checks data (header first, so a huge image or one that
// would take too much memory to open is refused before its pixels are
// decoded), decodes it upright and makes a thumbnail. Formats other than
// PNG and JPEG, and files stored turned (EXIF orientation in a JPEG, PNG,
// WebP or TIFF), are re-encoded as PNG, with their colour profile, so the
// server gets exactly what the user sees.
func LoadBytes(name string, data []byte) (*Picture, error) {
	img, info, err := imagefile.Decode(data, imagefile.DefaultMaxPixels) // header first, then pixels
	if err != nil {
		return nil, refuse(name, err)
	}
	source := info.Format
	if (info.Format != "png" && info.Format != "jpeg") || info.Orientation != 1 {
		enc, err := imagefile.PNGBytes(img)
		if err != nil {
			return nil, refuse(name, fmt.Errorf("it could not be converted to PNG: %w", err))
		}
		data = imagefile.WithICC(enc, info.ICC)
		info.Format, info.Orientation = "png", 1
	}
	return newPicture(name, data, info, source, img), nil
}

// newPicture is an input of the given file and its decoded pixels.
func newPicture(name string, data []byte, info imagefile.Info, source string, img image.Image) *Picture {
	return &Picture{
		Name:        name,
		Data:        data,
		Info:        info,
		Source:      source,
		Thumb:       imaging.Fit(img, 256, 256, imaging.Linear),
		Preview:     PreviewOf(img),
		Gray:        imagefile.IsGrayscale(img),
		Transparent: imagefile.HasTransparency(img),
		pixels:      img,
	}
}

// FromPixels is an input the app made itself (a cut-out, an expanded
// picture, a converted depth map or mask): encoded once as PNG, its pixels
// kept rather than decoded again.
func FromPixels(name string, img image.Image) (*Picture, error) {
	data, err := imagefile.PNGBytes(img)
	if err != nil {
		return nil, refuse(name, fmt.Errorf("it could not be converted to PNG: %w", err))
	}
	info, err := imagefile.Inspect(data, imagefile.DefaultMaxPixels)
	if err != nil {
		return nil, refuse(name, err)
	}
	return newPicture(name, data, info, info.Format, img), nil
}

// PreviewOf is img scaled to fit PreviewSide (img itself when it fits).
func PreviewOf(img image.Image) image.Image {
	if b := img.Bounds(); max(b.Dx(), b.Dy()) <= PreviewSide {
		return img
	}
	return imaging.Fit(img, PreviewSide, PreviewSide, imaging.Linear)
}

// Describe is the slot's caption: name, size and the file's own format.
func (l *Picture) Describe() string {
	f := l.Source
	if f == "" {
		f = l.Info.Format
	}
	return fmt.Sprintf("%s · %d×%d %s", l.Name, l.Info.Width, l.Info.Height, imagefile.FormatName(f))
}

// DropPixels lets go of the kept full-resolution pixels: the input is
// decoded again from its file when a job needs it.
func (l *Picture) DropPixels() { l.pixels = nil }

// DropPreview lets go of the pixels and the preview too (a batch photo,
// decoded when its job is prepared).
func (l *Picture) DropPreview() { l.pixels, l.Preview = nil, nil }

// HasPixels reports whether the full-resolution pixels are still kept.
func (l *Picture) HasPixels() bool { return l.pixels != nil }
