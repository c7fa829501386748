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

// info is what a plan needs of a source.
func (s *Source) info() (ImageInfo, error) {
	if s.Image != nil {
		return ImageInfo{Size: s.Image.Bounds().Size(), Format: s.Format, FileBytes: len(s.File)}, nil
	}
	info, err := imagefile.Inspect(s.File, 0)
	return ImageInfo{Size: image.Pt(info.Width, info.Height), Format: s.Format, FileBytes: len(s.File)}, err
}

// Prepared is what one job sends: the frame and each image, encoded.
type Prepared struct {
	Frame Frame
	Send  map[string][]byte // by wire field: background, mask, subject, depth_map, preview
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
// wire field and are decoded only when a part needs pixels.
func Prepare(job PlannedJob, sources map[string]*Source, mask *image.Gray) (Prepared, error) {
	p := Prepared{Frame: job.Frame, Send: map[string][]byte{}}
	for _, part := range job.Parts {
		var data []byte
		var err error
		if part.Blank {
			data, err = imagefile.PNGBytes(image.NewNRGBA(image.Rectangle{Max: part.Frame.Sent}))
		} else if part.Field == "mask" {
			if mask == nil || mask.Rect.Size() != part.Source {
				return p, fmt.Errorf("the mask does not match the background")
			}
			data, err = imagefile.PNGBytes(CropMask(mask, part.Frame))
		} else {
			src := sources[part.Field]
			if src == nil {
				return p, fmt.Errorf("the %s is missing", part.Field)
			}
			data, err = encodePart(src, part)
		}
		if err != nil {
			return p, fmt.Errorf("preparing the %s: %w", part.Field, err)
		}
		p.Send[part.Field] = data
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

// PrepareInpaint plans and prepares one inpaint job: the background and the
// mask are cropped to the frame (and scaled in Economy); a subject of the
// background's size is cropped with them, any other is sent whole (scaled
// down in Economy when larger than the economy side).
func PrepareInpaint(bg Source, mask *image.Gray, subject Source, s Settings) (Prepared, error) {
	bgInfo, err := bg.info()
	if err != nil {
		return Prepared{}, err
	}
	if mask.Rect.Size() != bgInfo.Size {
		return Prepared{}, fmt.Errorf("the mask is %v but the background is %v", mask.Rect.Size(), bgInfo.Size)
	}
	subInfo, err := subject.info()
	if err != nil {
		return Prepared{}, err
	}
	plan, err := MakePlan(PlanInputs{Mode: client.ModeInpaint, Mains: []ImageInfo{bgInfo}, Subject: &subInfo,
		MaskSize: bgInfo.Size, MaskBox: imagefile.Bounds(mask, 1)}, s)
	if err != nil {
		return Prepared{}, err
	}
	return Prepare(plan.Jobs[0], map[string]*Source{"background": &bg, "subject": &subject}, mask)
}

// PrepareWhole plans and prepares a whole-image job (scene, new
// background): the image is sent as it is, or scaled down in Economy.
func PrepareWhole(src Source, field string, s Settings) (Prepared, error) {
	info, err := src.info()
	if err != nil {
		return Prepared{}, err
	}
	plan, err := MakePlan(PlanInputs{Mode: client.ModeScene, Mains: []ImageInfo{info}, MainField: field}, s)
	if err != nil {
		return Prepared{}, err
	}
	return Prepare(plan.Jobs[0], map[string]*Source{field: &src}, nil)
}
