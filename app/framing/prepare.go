package framing

import (
	"encoding/base64"
	"fmt"
	"image"

	"github.com/zeninpaint/studio/client/imagefile"
)

// Source is an input image: its decoded pixels and its file as given.
type Source struct {
	Image  image.Image
	File   []byte // PNG or JPEG bytes, upright
	Format string // "png" or "jpeg"
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

// PrepareInpaint frames an inpaint job: the background and the mask are
// cropped to the frame (and scaled in Economy); a subject of the
// background's size is cropped with them, any other is sent as it is
// (scaled down in Economy when larger than the economy side).
func PrepareInpaint(bg Source, mask *image.Gray, subject Source, s Settings) (Prepared, error) {
	size := bg.Image.Bounds().Size()
	if mask.Rect.Size() != size {
		return Prepared{}, fmt.Errorf("the mask is %v but the background is %v", mask.Rect.Size(), size)
	}
	f, err := ForMask(size, imagefile.Bounds(mask, 1), s)
	if err != nil {
		return Prepared{}, err
	}
	p := Prepared{Frame: f, Send: map[string][]byte{}}
	if p.Send["background"], err = encodeFrame(bg, f); err != nil {
		return p, err
	}
	if p.Send["mask"], err = imagefile.PNGBytes(CropMask(mask, f)); err != nil {
		return p, err
	}
	switch {
	case subject.Image.Bounds().Size() == size:
		p.Send["subject"], err = encodeFrame(subject, f)
	default:
		p.Send["subject"], err = encodeFrame(subject, Whole(subject.Image.Bounds().Size(), Settings{Resolution: s.Resolution}))
	}
	return p, err
}

// PrepareWhole frames a whole-image job (scene, new background): the
// image is sent as it is, or scaled down in Economy.
func PrepareWhole(src Source, field string, s Settings) (Prepared, error) {
	f := Whole(src.Image.Bounds().Size(), s)
	data, err := encodeFrame(src, f)
	return Prepared{Frame: f, Send: map[string][]byte{field: data}}, err
}

// encodeFrame sends the file untouched when the frame is all of it at full
// size; otherwise the crop, as JPEG (quality 90, as cameras write) for
// JPEG photos and PNG for the rest, which keeps transparency, with the
// file's colour profile.
func encodeFrame(src Source, f Frame) ([]byte, error) {
	if f.Box == src.Image.Bounds().Sub(src.Image.Bounds().Min) && !f.Scaled() {
		return src.File, nil
	}
	img := Crop(src.Image, f)
	var data []byte
	var err error
	if src.Format == "jpeg" {
		data, err = imagefile.JPEGBytes(img, 90)
	} else {
		data, err = imagefile.PNGBytes(img)
	}
	return imagefile.WithICC(data, imagefile.ICC(src.File)), err // keep the file's colour profile
}
