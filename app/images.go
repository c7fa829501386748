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

// loadedImage is an input the user gave: the bytes to send and what the
// panels show of it.
type loadedImage struct {
	Name        string
	Data        []byte // PNG or JPEG, upright
	Info        imagefile.Info
	Thumb       image.Image // at most 256 px on a side
	Gray        bool        // every pixel is a shade of grey
	Transparent bool        // some pixel is fully transparent
	full        image.Image // the decoded pixels, dropped once shown
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
		Gray:        imagefile.IsGrayscale(img),
		Transparent: imagefile.HasTransparency(img),
		full:        img,
	}, nil
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
