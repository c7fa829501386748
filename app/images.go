package app

import (
	"fmt"
	"image"
	"path/filepath"

	"github.com/disintegration/imaging"

	"github.com/zeninpaint/studio/client/imagefile"
)

// maxFileBytes refuses files larger than this before reading them whole.
const maxFileBytes = 512 << 20

// loadedImage is an input the user gave. Its three images cannot be
// confused: Data is the file (what is sent when the whole image goes at
// full size), Preview is for the screen only (never sent), and pixels are
// the full-resolution decoded pixels, kept only from the load until the
// image is placed. Everything but pixels is immutable once loaded, so
// preparation goroutines may read it.
type loadedImage struct {
	Name        string
	Data        []byte // the file's bytes: PNG or JPEG, upright
	Info        imagefile.Info
	Thumb       image.Image // at most 256 px on a side
	Preview     image.Image // at most previewSide px on a side, for display; nil for batch photos
	Gray        bool        // every pixel is a shade of grey
	Transparent bool        // some pixel is fully transparent
	pixels      image.Image // full resolution; only on Fyne's goroutine, dropped once placed
}

// previewSide is the longest side of the picture shown for an input.
const previewSide = 2048

// decodePixels decodes an input's file at full resolution (upright, as
// Data is). It reads only immutable fields, so it is safe on any goroutine.
func decodePixels(l *loadedImage) (image.Image, error) {
	img, _, err := imagefile.Decode(l.Data, imagefile.DefaultMaxPixels)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", l.Name, err)
	}
	return img, nil
}

// takePixels returns the full pixels, decoding them again if they were
// dropped, and drops the kept copy (Fyne's goroutine only).
func (l *loadedImage) takePixels() (image.Image, error) {
	if img := l.pixels; img != nil {
		l.pixels = nil
		return img, nil
	}
	return decodePixels(l)
}

// loadImageFile reads and checks an image file.
func loadImageFile(path string) (*loadedImage, error) {
	data, err := imagefile.ReadFile(path, maxFileBytes)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Base(path), err)
	}
	return loadImageBytes(filepath.Base(path), data)
}

// loadImageBytes checks data (header first, so a huge image is refused
// before its pixels are decoded), decodes it upright and makes a thumbnail.
// Formats other than PNG and JPEG, and JPEGs whose EXIF orientation turned
// them, are re-encoded so the server gets exactly what the user sees.
func loadImageBytes(name string, data []byte) (*loadedImage, error) {
	img, info, err := imagefile.Decode(data, imagefile.DefaultMaxPixels) // header first, then pixels
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	rotated := info.Format == "jpeg" && imagefile.Orientation(data) != 1
	if (info.Format != "png" && info.Format != "jpeg") || rotated {
		if data, err = imagefile.PNGBytes(img); err != nil {
			return nil, fmt.Errorf("%s: converting to PNG: %w", name, err)
		}
		info.Format = "png"
	}
	return &loadedImage{
		Name:        name,
		Data:        data,
		Info:        info,
		Thumb:       imaging.Fit(img, 256, 256, imaging.Linear),
		Preview:     preview(img),
		Gray:        imagefile.IsGrayscale(img),
		Transparent: imagefile.HasTransparency(img),
		pixels:      img,
	}, nil
}

// preview is img scaled to fit previewSide (img itself when it fits).
func preview(img image.Image) image.Image {
	if b := img.Bounds(); max(b.Dx(), b.Dy()) <= previewSide {
		return img
	}
	return imaging.Fit(img, previewSide, previewSide, imaging.Linear)
}

// Describe is the slot's caption: name, size and format.
func (l *loadedImage) Describe() string {
	return fmt.Sprintf("%s · %d×%d %s", l.Name, l.Info.Width, l.Info.Height, formatName(l.Info.Format))
}

func formatName(f string) string {
	switch f {
	case "jpeg":
		return "JPEG"
	case "png":
		return "PNG"
	}
	return f
}
