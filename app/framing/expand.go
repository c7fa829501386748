package framing

import (
	"errors"
	"image"
	"image/draw"
)

// Anchor says where the original sits in an expanded picture: 0, 0.5 or 1
// across (left, centre, right) and down (top, middle, bottom).
type Anchor struct{ X, Y float64 }

// ExpandedSize is the smallest picture of aspect ratioW:ratioH that holds
// an image of the given size: one side is kept, the other grows.
func ExpandedSize(size image.Point, ratioW, ratioH int) (image.Point, error) {
	if ratioW <= 0 || ratioH <= 0 || size.X <= 0 || size.Y <= 0 {
		return image.Point{}, errors.New("the shape must be two positive numbers, e.g. 4:5")
	}
	if size.X*ratioH >= size.Y*ratioW { // wider than the ratio: grow the height
		return image.Pt(size.X, (size.X*ratioH+ratioW-1)/ratioW), nil
	}
	return image.Pt((size.Y*ratioW+ratioH-1)/ratioH, size.Y), nil
}

// Expansion is an image placed in a larger picture, and the mask that
// lets a generation fill the new border.
type Expansion struct {
	Picture *image.NRGBA // the larger picture: the original at Offset, its edges stretched outward
	Mask    *image.Gray  // 255 on the new border and on the overlap band inside the original, 0 elsewhere
	Offset  image.Point  // where the original's top-left is
	Overlap int          // the overlap band's width, in pixels
}

// Expand places img in a picture of size canvas at anchor. The border
// starts as the original's edge pixels stretched outward (a neutral start
// for the fill); the mask covers it and an overlap band of overlap pixels
// inside the original, so the generated border blends in. Pixels of the
// original further inside than the band are outside the mask.
func Expand(img image.Image, canvas image.Point, anchor Anchor, overlap int) (Expansion, error) {
	b := img.Bounds()
	size := b.Size()
	if canvas.X < size.X || canvas.Y < size.Y {
		return Expansion{}, errors.New("the new size is smaller than the picture: Expand only adds")
	}
	off := image.Pt(int(float64(canvas.X-size.X)*anchor.X+0.5), int(float64(canvas.Y-size.Y)*anchor.Y+0.5))
	pic := image.NewNRGBA(image.Rectangle{Max: canvas})
	draw.Draw(pic, image.Rectangle{Min: off, Max: off.Add(size)}, img, b.Min, draw.Src)
	// Stretch the edges outward: each border pixel copies the nearest
	// pixel of the original.
	for y := range canvas.Y {
		sy := min(max(y, off.Y), off.Y+size.Y-1)
		for x := range canvas.X {
			if x >= off.X && x < off.X+size.X && y >= off.Y && y < off.Y+size.Y {
				continue
			}
			sx := min(max(x, off.X), off.X+size.X-1)
			copy(pic.Pix[pic.PixOffset(x, y):pic.PixOffset(x, y)+4], pic.Pix[pic.PixOffset(sx, sy):pic.PixOffset(sx, sy)+4])
		}
	}
	mask := image.NewGray(image.Rectangle{Max: canvas})
	for i := range mask.Pix {
		mask.Pix[i] = 255
	}
	// Keep the original, less the band along the sides that grew.
	keep := image.Rectangle{Min: off, Max: off.Add(size)}
	if off.X > 0 {
		keep.Min.X += overlap
	}
	if off.Y > 0 {
		keep.Min.Y += overlap
	}
	if off.X+size.X < canvas.X {
		keep.Max.X -= overlap
	}
	if off.Y+size.Y < canvas.Y {
		keep.Max.Y -= overlap
	}
	if !keep.Empty() {
		draw.Draw(mask, keep, image.Black, image.Point{}, draw.Src)
	}
	return Expansion{Picture: pic, Mask: mask, Offset: off, Overlap: overlap}, nil
}
