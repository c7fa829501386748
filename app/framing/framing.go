// Package framing decides what part of an image a job sends and puts the
// answer back: a crop around the mask with padding (or the whole image),
// an economy downscale to at most 2048 px, and a paste-back that changes
// only the masked pixels of the full-resolution original.
//
// Inpainting tools such as Krita's AI plugin, IOPaint and InvokeAI work the
// same way: the model sees the masked area in context, uploads stay small,
// the cheaper credit tier applies, and nothing outside the mask can change.
package framing

import (
	"errors"
	"fmt"
	"image"
	"image/draw"

	"github.com/disintegration/imaging"
)

// Context says how much of the image a job sends.
type Context string

// The context choices.
const (
	AroundMask Context = "mask"  // the mask's box plus padding
	WholeImage Context = "whole" // everything
)

// Resolution says whether a large image is scaled down before sending.
type Resolution string

// The resolution choices.
const (
	Economy Resolution = "economy" // longest side at most EconomySide: the 0.04-credit tier
	Full    Resolution = "full"    // as it is: 0.05 credits above 2048 px
)

// EconomySide is the longest side sent in Economy.
const EconomySide = 2048

// Settings are the user's choices for a job.
type Settings struct {
	Context        Context
	Padding        int     // pixels around the mask's box, when PaddingPercent is 0
	PaddingPercent float64 // of the box's longer side, when set
	Resolution     Resolution
}

// DefaultSettings: around the mask with 128 px of context (IOPaint's
// default crop margin), economy.
var DefaultSettings = Settings{Context: AroundMask, Padding: 128, Resolution: Economy}

// ErrEmptyMask means there is nothing to frame.
var ErrEmptyMask = errors.New("the mask is empty: paint where the image may change")

// Frame is the part of the original a job sends, and at what size.
type Frame struct {
	Box  image.Rectangle // in the original's pixels
	Sent image.Point     // the size sent (Box's size, or smaller in Economy)
}

// Scaled reports whether the sent image is smaller than the box.
func (f Frame) Scaled() bool { return f.Sent != f.Box.Size() }

// modelStep: sides are rounded up to a multiple of this, which diffusion
// models work in.
const modelStep = 8

// maxAspect is the most elongated box sent; longer boxes grow their short
// side, since models are trained on ordinary photo shapes.
const maxAspect = 2.0

// ForMask frames the mask's bounding box in an image of the given size.
func ForMask(size image.Point, maskBox image.Rectangle, s Settings) (Frame, error) {
	bounds := image.Rectangle{Max: size}
	if maskBox.Intersect(bounds).Empty() {
		return Frame{}, ErrEmptyMask
	}
	if s.Context == WholeImage {
		return Whole(size, s), nil
	}
	box := maskBox.Intersect(bounds)
	pad := s.Padding
	if s.PaddingPercent > 0 {
		pad = int(float64(max(box.Dx(), box.Dy())) * s.PaddingPercent / 100)
	}
	box = box.Inset(-max(pad, 0))
	// Not too elongated, then whole model steps.
	w, h := box.Dx(), box.Dy()
	if float64(w) > maxAspect*float64(h) {
		h = int(float64(w)/maxAspect + 0.5)
	} else if float64(h) > maxAspect*float64(w) {
		w = int(float64(h)/maxAspect + 0.5)
	}
	w, h = roundUp(w, modelStep), roundUp(h, modelStep)
	box = grow(box, w, h, bounds)
	return Frame{Box: box, Sent: sentSize(box.Size(), s.Resolution)}, nil
}

// Whole frames the whole image.
func Whole(size image.Point, s Settings) Frame {
	return Frame{Box: image.Rectangle{Max: size}, Sent: sentSize(size, s.Resolution)}
}

func roundUp(n, step int) int { return (n + step - 1) / step * step }

// grow resizes box to w×h around its centre, shifted to stay inside
// bounds, and clipped where bounds are smaller.
func grow(box image.Rectangle, w, h int, bounds image.Rectangle) image.Rectangle {
	w, h = min(w, bounds.Dx()), min(h, bounds.Dy())
	cx, cy := (box.Min.X+box.Max.X)/2, (box.Min.Y+box.Max.Y)/2
	x0 := min(max(cx-w/2, bounds.Min.X), bounds.Max.X-w)
	y0 := min(max(cy-h/2, bounds.Min.Y), bounds.Max.Y-h)
	return image.Rect(x0, y0, x0+w, y0+h)
}

// sentSize is the size sent for a box: in Economy the longest side is at
// most EconomySide.
func sentSize(size image.Point, r Resolution) image.Point {
	longest := max(size.X, size.Y)
	if r != Economy || longest <= EconomySide {
		return size
	}
	return image.Pt(max(1, size.X*EconomySide/longest), max(1, size.Y*EconomySide/longest))
}

// Crop returns the frame's part of img at the size sent (Lanczos when it
// is scaled down).
func Crop(img image.Image, f Frame) *image.NRGBA {
	part := imaging.Crop(img, f.Box.Add(img.Bounds().Min))
	if f.Scaled() {
		return imaging.Resize(part, f.Sent.X, f.Sent.Y, imaging.Lanczos)
	}
	return part
}

// CropMask returns the frame's part of a mask at the size sent.
func CropMask(mask *image.Gray, f Frame) *image.Gray {
	part := mask.SubImage(f.Box.Add(mask.Rect.Min))
	if f.Scaled() {
		part = imaging.Resize(part, f.Sent.X, f.Sent.Y, imaging.Linear)
	}
	out := image.NewGray(image.Rect(0, 0, part.Bounds().Dx(), part.Bounds().Dy()))
	draw.Draw(out, out.Rect, part, part.Bounds().Min, draw.Src)
	return out
}

// upsize brings a result to the frame's box size.
func upsize(result image.Image, size image.Point) *image.NRGBA {
	if result.Bounds().Size() == size {
		return imaging.Clone(result)
	}
	return imaging.Resize(result, size.X, size.Y, imaging.Lanczos)
}

// PasteInpaint composites an inpaint result into the full-resolution
// original: the result is scaled to the frame's box, and blended in only
// where the mask allows, feathered inward by about feather pixels so the
// seam is soft. Every pixel where the mask is 0 is the original's, bit for
// bit.
func PasteInpaint(original image.Image, mask *image.Gray, f Frame, result image.Image, feather int) (*image.NRGBA, error) {
	if mask.Rect.Size() != original.Bounds().Size() {
		return nil, fmt.Errorf("the mask is %v but the image is %v", mask.Rect.Size(), original.Bounds().Size())
	}
	out := imaging.Clone(original)
	patch := upsize(result, f.Box.Size())
	alpha := CropMask(mask, Frame{Box: f.Box, Sent: f.Box.Size()})
	if feather > 0 {
		blurred := imaging.Blur(alpha, float64(feather)/2)
		for i := range alpha.Pix {
			// Soften only inside the mask: the blur fades the edge
			// inward, and min keeps every unmasked pixel at 0.
			alpha.Pix[i] = min(alpha.Pix[i], blurred.Pix[4*i])
		}
	}
	for y := 0; y < f.Box.Dy(); y++ {
		for x := 0; x < f.Box.Dx(); x++ {
			a := uint32(alpha.Pix[y*alpha.Stride+x])
			if a == 0 {
				continue
			}
			o := out.PixOffset(f.Box.Min.X+x, f.Box.Min.Y+y)
			p := patch.PixOffset(x, y)
			for c := 0; c < 4; c++ {
				out.Pix[o+c] = uint8((uint32(out.Pix[o+c])*(255-a) + uint32(patch.Pix[p+c])*a + 127) / 255)
			}
		}
	}
	return out, nil
}

// PasteSubject scales a whole-image result (e.g. New background) back to
// the subject's full size and puts the subject's own pixels back wherever
// it is fully opaque, so the subject is exactly the original.
func PasteSubject(subject image.Image, result image.Image) *image.NRGBA {
	b := subject.Bounds()
	out := upsize(result, b.Size())
	src := imaging.Clone(subject)
	for i := 3; i < len(src.Pix); i += 4 {
		if src.Pix[i] == 255 {
			copy(out.Pix[i-3:i+1], src.Pix[i-3:i+1])
		}
	}
	return out
}

// Upsize scales a whole-image result back to the original size.
func Upsize(result image.Image, size image.Point) *image.NRGBA { return upsize(result, size) }
