package engine

import (
	"context"
	"errors"
	"fmt"
	"image"
	"math"

	"github.com/disintegration/imaging"
)

// ErrNoSubject is returned by CutOut when nothing in the picture stands
// out from the backdrop estimated from its borders.
var ErrNoSubject = errors.New("no subject stands out from the backdrop")

// cutOutMaxPixels is the largest picture CutOut separates at full size; a
// larger one is separated at this size and its alpha scaled up.
const cutOutMaxPixels = 4_000_000

// CutOut separates the subject of a photo shot on a studio backdrop (plain,
// gradient or paper sweep, with soft shadows) and returns the photo with
// an alpha channel: 255 on the subject, 0 on the backdrop, soft values at
// the subject's edge. The backdrop is modelled from the picture's borders
// (a smooth quadratic surface in Oklab, fitted robustly, so a subject that
// touches a border does not spoil it); a pixel belongs to the subject when
// its colour is far from the backdrop's there, a darker pixel of the
// backdrop's own hue, as smooth as the backdrop, counting as shadow; the
// subject is the large connected parts, their narrow gaps bridged and
// their interior holes filled; its edge gets a soft
// alpha from the compositing equation (the pixel as a mix of the subject's
// nearby colour and the backdrop's nearby colour, shadow included), and
// the colours of edge pixels are those of the subject without the backdrop
// mixed in (no halo on a new background). Opaque pixels keep their colours
// exactly.
//
// For the app's "Mask from subject", SubjectMask turns the result into a
// mask. It returns ErrNoSubject when nothing stands out, and ctx's error
// when ctx ends first.
func CutOut(ctx context.Context, img image.Image) (*image.NRGBA, error) {
	src := imaging.Clone(img)
	w, h := src.Rect.Dx(), src.Rect.Dy()
	if w < 8 || h < 8 {
		return nil, fmt.Errorf("cut out: a %d×%d picture is too small", w, h)
	}
	work := src
	if w*h > cutOutMaxPixels {
		f := math.Sqrt(float64(cutOutMaxPixels) / float64(w*h))
		work = imaging.Resize(src, max(8, int(float64(w)*f)), max(8, int(float64(h)*f)), imaging.Box)
	}
	alpha, fg, err := separate(ctx, work)
	if err != nil {
		return nil, fmt.Errorf("cut out: %w", err)
	}
	out := imaging.Clone(src)
	if work != src {
		big := imaging.Resize(alpha, w, h, imaging.Linear)
		for i := 0; i < w*h; i++ {
			out.Pix[4*i+3] = big.Pix[4*i]
		}
		return out, nil
	}
	for i, a := range alpha.Pix {
		out.Pix[4*i+3] = a
		if a > 0 && a < 255 {
			copy(out.Pix[4*i:4*i+3], fg[3*i:3*i+3])
		}
	}
	return out, nil
}

// SubjectMask is the mask of a cut-out subject (CutOut's result): white
// where the subject is opaque, soft at its edge, black on the backdrop.
func SubjectMask(cut *image.NRGBA) *image.Gray {
	m := image.NewGray(cut.Rect)
	for y := 0; y < cut.Rect.Dy(); y++ {
		for x := 0; x < cut.Rect.Dx(); x++ {
			m.Pix[y*m.Stride+x] = cut.Pix[y*cut.Stride+4*x+3]
		}
	}
	return m
}

// MaskFromSubject is SubjectMask(CutOut(ctx, img)): the mask of the
// subject of a photo shot on a backdrop.
func MaskFromSubject(ctx context.Context, img image.Image) (*image.Gray, error) {
	cut, err := CutOut(ctx, img)
	if err != nil {
		return nil, err
	}
	return SubjectMask(cut), nil
}

// separate computes the subject's alpha for img and, at the soft edge, the
// subject's own colour (packed RGB, 3 bytes a pixel, set where alpha is
// strictly between 0 and 255).
func separate(ctx context.Context, img *image.NRGBA) (*image.Gray, []uint8, error) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	lab := oklabPlanes(img)
	bg := fitBackdrop(lab, w, h)
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	// Two distances from the backdrop: strict (any change of lightness
	// counts) and lenient (a shadow's darkening is nearly free).
	dist := make([]float32, w*h)
	strict := make([]float32, w*h)
	for i := range dist {
		dist[i] = backdropDistance(lab[0][i], lab[1][i], lab[2][i], bg[0][i], bg[1][i], bg[2][i])
		dl, da, db := lab[0][i]-bg[0][i], lab[1][i]-bg[1][i], lab[2][i]-bg[2][i]
		strict[i] = float32(math.Sqrt(float64(dl*dl + da*da + db*db)))
	}
	tex := localTexture(lab[0], w, h)
	// The noise of the backdrop, read on the border band.
	band := borderBand(w, h)
	var border, borderTex []float32
	for i, b := range band {
		if b {
			border = append(border, strict[i])
			borderTex = append(borderTex, tex[i])
		}
	}
	noise := quantile(border, 0.5) * 1.4826 / 0.6745 // median of |x| → σ
	low := max(cutOutMinContrast, 3*noise)
	high := 2 * low
	smooth := max(quantile(borderTex, 0.95), 0.008) * shadowTexture
	// Subject: what differs from the backdrop, less what looks like a
	// shadow: near the backdrop's colour once darkening is forgiven, and
	// as smooth as the backdrop (a shadow is soft; a subject has texture
	// and sharp edges, so even a flat dark part of it keeps its rim, and
	// filling enclosed holes restores its inside).
	sure := make([]bool, w*h)
	rescued := make([]bool, w*h)
	for i, d := range strict {
		sure[i] = dist[i] > high
		rescued[i] = d > high && !sure[i] && tex[i] > smooth
	}
	for i, r := range rescued {
		sure[i] = sure[i] || r
	}
	keepLargeParts(sure, w, h)
	sealed := closing(sure, w, h, max(2, min(w, h)/60))
	fillEnclosed(sealed, w, h)
	sure = sealed
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	area := 0
	for _, s := range sure {
		if s {
			area++
		}
	}
	if area == 0 {
		return nil, nil, ErrNoSubject
	}
	return mattEdge(img, dist, sure, w, h, low, high)
}
