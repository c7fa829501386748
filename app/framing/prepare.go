package framing

import (
	"encoding/base64"
	"fmt"
	"image"

	"github.com/zeninpaint/studio/client"
	"github.com/zeninpaint/studio/client/imagefile"
)

// Source is an input image: its file as given and its decoded pixels (or a
// way to decode them, used only when a part is cropped or scaled).
type Source struct {
	Image  image.Image
	Pixels func() (image.Image, error) // decodes File when Image is nil
	File   []byte                      // PNG or JPEG bytes, upright
	Format string                      // "png" or "jpeg"
}

// pixels returns the decoded image, decoding it once if needed.
func (s *Source) pixels() (image.Image, error) {
	if s.Image == nil && s.Pixels != nil {
		img, err := s.Pixels()
		if err != nil {
			return nil, err
		}
		s.Image = img
	}
	if s.Image == nil {
		return nil, fmt.Errorf("the image's pixels are not available")
	}
	return s.Image, nil
}

// Prepared is what one job sends: the frame and each image, encoded.
type Prepared struct {
	Frame Frame
	Send  map[client.Role][]byte
}

// UploadBytes is the size of the images in the request body (base64).
func (p Prepared) UploadBytes() int64 {
	var n int64
	for _, b := range p.Send {
		n += int64(base64.StdEncoding.EncodedLen(len(b)))
	}
	return n
}

// Prepare carries out one planned job: each part is the source file as it
// is, or the planned crop at the planned size, encoded as planned. mask is
// the full mask at the main input's size (inpaint only). sources are by
// role and are decoded only when a part needs pixels.
func Prepare(job PlannedJob, sources map[client.Role]*Source, mask *image.Gray) (Prepared, error) {
	p := Prepared{Frame: job.Frame, Send: map[client.Role][]byte{}}
	for _, part := range job.Parts {
		var data []byte
		var err error
		if part.Blank {
			data, err = imagefile.PNGBytes(image.NewNRGBA(image.Rectangle{Max: part.Frame.Sent}))
		} else if part.Role == client.RoleMask {
			if mask == nil || mask.Rect.Size() != part.Source {
				return p, fmt.Errorf("the mask does not match the background")
			}
			data, err = imagefile.PNGBytes(CropMask(mask, part.Frame))
		} else {
			src := sources[part.Role]
			if src == nil {
				return p, fmt.Errorf("the %s is missing", part.Role.Title())
			}
			data, err = encodePart(src, part)
		}
		if err != nil {
			return p, fmt.Errorf("preparing the %s: %w", part.Role.Title(), err)
		}
		p.Send[part.Role] = data
	}
	return p, nil
}

// encodePart sends the file untouched when the plan says so; otherwise the
// crop, as JPEG (quality 90, as cameras write) or PNG (which keeps
// transparency).
func encodePart(src *Source, part Part) ([]byte, error) {
	if part.Untouched {
		return src.File, nil
	}
	img, err := src.pixels()
	if err != nil {
		return nil, err
	}
	if img.Bounds().Size() != part.Source {
		return nil, fmt.Errorf("the image is %v, but the plan was made for %v", img.Bounds().Size(), part.Source)
	}
	crop := Crop(img, part.Frame)
	var data []byte
	if part.Encoding == "jpeg" {
		data, err = imagefile.JPEGBytes(crop, 90)
	} else {
		data, err = imagefile.PNGBytes(crop)
	}
	return imagefile.WithICC(data, imagefile.ICC(src.File)), err // keep the file's colour profile
}
