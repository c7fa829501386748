package engine

import (
	"image"
	"image/draw"

	"github.com/disintegration/imaging"
)

// inpaint fills the masked area of bg from the rest of the picture (fill),
// then places the subject in it: a subject of the background's size stays
// where it is; any other is scaled to fit the mask's bounding box, standing
// on its bottom edge. Around a subject the fill copies the scene's texture
// in full (fillWith's share 1), so the uncovered ring of the painted area
// has the scene's tones and grain rather than a blurred blot. The
// subject's colours are harmonized with the surroundings and it gets a
// soft contact shadow under its foot. Pixels outside the mask are
// unchanged.
func inpaint(p *tracker, bg *image.NRGBA, mask *image.Gray, subject *image.NRGBA, seed uint64) (*image.NRGBA, error) {
	out := imaging.Clone(bg)
	share := float32(0) // a removal: the fill that best guesses what was there
	if hasOpaque(subject) {
		share = 1 // the ring around a subject: the scene's texture, copied
	}
	if err := fillWith(p, out, mask, seed, share, 0.05, 0.6); err != nil {
		return nil, err
	}
	box := maskBounds(mask, 128)
	if box.Empty() {
		return out, nil
	}
	placed := placeSubject(out.Rect, subject, box)
	if err := p.step(0.7); err != nil {
		return nil, err
	}
	harmonize(placed, out, surroundings(mask, box))
	// Keep the subject inside the painted area.
	alpha := image.NewGray(out.Rect)
	for i := range alpha.Pix {
		alpha.Pix[i] = uint8(uint16(placed.Pix[4*i+3]) * uint16(mask.Pix[i]) / 255)
	}
	addFootShadow(out, alpha, mask, 0.45)
	if err := p.step(0.85); err != nil {
		return nil, err
	}
	compositeOver(out, placed, alpha)
	return out, nil
}

// hasOpaque reports whether img has a pixel at least half opaque.
func hasOpaque(img *image.NRGBA) bool {
	for i := 3; i < len(img.Pix); i += 4 {
		if img.Pix[i] >= 128 {
			return true
		}
	}
	return false
}

// placeSubject is the subject on a transparent layer of size r: where it
// is when it has r's size; otherwise scaled to fit box (inset by a
// twentieth), centred, standing on its bottom edge.
func placeSubject(r image.Rectangle, subject *image.NRGBA, box image.Rectangle) *image.NRGBA {
	placed := image.NewNRGBA(r)
	if subject.Rect.Size() == r.Size() {
		draw.Draw(placed, placed.Rect, subject, subject.Rect.Min, draw.Src)
		return placed
	}
	fit := box.Inset(max(box.Dx(), box.Dy()) / 20)
	if fit.Empty() {
		fit = box
	}
	// Scaled up or down to fit (imaging.Fit would never enlarge).
	size := fitSize(subject.Rect.Size(), fit.Size())
	scaled := imaging.Resize(subject, size.X, size.Y, imaging.Lanczos)
	at := image.Pt(fit.Min.X+(fit.Dx()-scaled.Rect.Dx())/2, fit.Max.Y-scaled.Rect.Dy())
	draw.Draw(placed, scaled.Rect.Add(at), scaled, image.Point{}, draw.Src)
	return placed
}

// surroundings marks the unpainted pixels near box (box grown by half its
// size): the scene a placed subject should match. When the mask leaves no
// such pixel, it marks every unpainted pixel, and when there is none at
// all, none.
func surroundings(mask *image.Gray, box image.Rectangle) *image.Gray {
	around := image.NewGray(mask.Rect)
	mark := func(r image.Rectangle) (n int) {
		for y := r.Min.Y; y < r.Max.Y; y++ {
			for x := r.Min.X; x < r.Max.X; x++ {
				if i := mask.PixOffset(x, y); mask.Pix[i] == 0 {
					around.Pix[i] = 255
					n++
				}
			}
		}
		return n
	}
	if mark(box.Inset(-max(box.Dx(), box.Dy())/2).Intersect(mask.Rect)) == 0 {
		mark(mask.Rect)
	}
	return around
}

// fitSize scales src to the largest size with its aspect ratio inside box.
func fitSize(src, box image.Point) image.Point {
	if src.X*box.Y > src.Y*box.X {
		return image.Pt(box.X, max(1, src.Y*box.X/src.X))
	}
	return image.Pt(max(1, src.X*box.Y/src.Y), box.Y)
}

// compositeOver draws src over dst with the given alpha per pixel
// (straight alpha); where alpha is 255 dst takes src's colour exactly.
func compositeOver(dst, src *image.NRGBA, alpha *image.Gray) {
	for i, a := range alpha.Pix {
		if a == 0 {
			continue
		}
		o := 4 * i
		if a == 255 {
			copy(dst.Pix[o:o+3], src.Pix[o:o+3])
			continue
		}
		t := float32(a) / 255
		for c := 0; c < 3; c++ {
			dst.Pix[o+c] = clamp8(lerp(float32(dst.Pix[o+c]), float32(src.Pix[o+c]), t))
		}
	}
}

// addFootShadow darkens dst where alpha's subject meets the ground: a
// soft ellipse centred under its foot (the span of its lowest tenth),
// a little wider than the foot and a sixth of the subject's height tall,
// darkest at the foot and fading to nothing, limited to where limit (if
// not nil) allows painting. It stays local: the rest of the area around
// the subject keeps the fill's tones (addContactShadow's drop shadow, right
// for a studio backdrop, rings a subject in a scene with grey).
func addFootShadow(dst *image.NRGBA, alpha, limit *image.Gray, strength float32) {
	box := maskBounds(alpha, 128)
	if box.Empty() {
		return
	}
	// The foot: the columns the subject covers in its lowest tenth.
	footTop := box.Max.Y - max(1, box.Dy()/10)
	left, right := box.Max.X, box.Min.X
	for y := footTop; y < box.Max.Y; y++ {
		for x := box.Min.X; x < box.Max.X; x++ {
			if alpha.Pix[alpha.PixOffset(x, y)] >= 128 {
				left, right = min(left, x), max(right, x+1)
			}
		}
	}
	if left >= right {
		left, right = box.Min.X, box.Max.X
	}
	cx, cy := float32(left+right)/2, float32(box.Max.Y)-0.5
	rx := max(0.6*float32(right-left), 3)
	ry := max(0.08*float32(box.Dy()), 2)
	r := image.Rect(int(cx-rx)-1, int(cy-ry)-1, int(cx+rx)+2, int(cy+ry)+2).Intersect(dst.Rect)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			dx, dy := (float32(x)+0.5-cx)/rx, (float32(y)+0.5-cy)/ry
			d := dx*dx + dy*dy
			if d >= 1 {
				continue
			}
			s := (1 - d) * (1 - d)
			if limit != nil {
				s *= float32(limit.Pix[limit.PixOffset(x, y)]) / 255
			}
			f := 1 - strength*s
			o := dst.PixOffset(x, y)
			for c := 0; c < 3; c++ {
				dst.Pix[o+c] = clamp8(float32(dst.Pix[o+c]) * f)
			}
		}
	}
}

// addContactShadow darkens dst under the footprint of alpha: a soft
// ellipse where the subject meets the ground plus a faint blurred drop
// shadow, limited to where limit (if not nil) allows painting.
func addContactShadow(dst *image.NRGBA, alpha, limit *image.Gray, strength float32) {
	box := maskBounds(alpha, 16)
	if box.Empty() {
		return
	}
	// Work at reduced resolution: shadows are soft, so this costs nothing
	// visible and keeps a 24 MP image fast.
	scale := max(1, max(dst.Rect.Dx(), dst.Rect.Dy())/1024)
	sw, sh := (dst.Rect.Dx()+scale-1)/scale, (dst.Rect.Dy()+scale-1)/scale
	shadow := image.NewGray(image.Rect(0, 0, sw, sh))
	cx := float32(box.Min.X+box.Max.X) / 2 / float32(scale)
	cy := float32(box.Max.Y) / float32(scale)
	rx := max(float32(box.Dx())*0.5/float32(scale), 2)
	ry := max(float32(box.Dy())*0.05/float32(scale), 1.5)
	for y := 0; y < sh; y++ {
		for x := 0; x < sw; x++ {
			dx, dy := (float32(x)-cx)/rx, (float32(y)-cy)/ry
			if d := dx*dx + dy*dy; d < 1 {
				shadow.Pix[y*sw+x] = uint8(255 * (1 - d))
			}
		}
	}
	// A drop shadow: the subject's silhouette, shifted down a little.
	shift := max(1, box.Dy()/40/scale)
	for y := 0; y < sh; y++ {
		for x := 0; x < sw; x++ {
			sy := (y - shift) * scale
			if sy < 0 || sy >= dst.Rect.Dy() {
				continue
			}
			a := alpha.Pix[sy*alpha.Stride+min(x*scale, dst.Rect.Dx()-1)]
			if v := a / 3; v > shadow.Pix[y*sw+x] {
				shadow.Pix[y*sw+x] = v
			}
		}
	}
	soft := imaging.Blur(shadow, max(1.5, float64(ry)))
	for y := 0; y < dst.Rect.Dy(); y++ {
		for x := 0; x < dst.Rect.Dx(); x++ {
			i := y*alpha.Stride + x
			// imaging.Blur returns NRGBA with the gray in every colour channel.
			s := float32(soft.Pix[(y/scale)*soft.Stride+4*(x/scale)]) / 255
			if s <= 0.004 {
				continue
			}
			if limit != nil {
				s *= float32(limit.Pix[i]) / 255
			}
			f := 1 - strength*s
			o := dst.PixOffset(x, y)
			for c := 0; c < 3; c++ {
				dst.Pix[o+c] = clamp8(float32(dst.Pix[o+c]) * f)
			}
		}
	}
}
