package imagefile

import (
	"image"
)

// Lossy WebP stores limited-range BT.601 YUV 4:2:0 (Y in 16–235), while
// Go's image.YCbCr converts as full-range JPEG YCbCr: x/image/webp's
// pixels, read through the standard conversion, come out washed and
// shifted ((220,180,40) reads as (206,171,47)). vp8ToNRGBA converts as
// libwebp does: its fixed-point matrix and its "fancy" upsampling, which
// blends the four nearest chroma samples 9:3:3:1 (within 1/255 of dwebp).

// The fixed-point conversion of libwebp's dsp/yuv.h.
func vp8Clip8(v int) byte {
	if v&^(256<<6-1) == 0 {
		return byte(v >> 6)
	}
	if v < 0 {
		return 0
	}
	return 255
}

func multHi(v, coeff int) int { return (v * coeff) >> 8 }

func vp8RGB(y, u, v int) (byte, byte, byte) {
	yy := multHi(y, 19077)
	return vp8Clip8(yy + multHi(v, 26149) - 14234),
		vp8Clip8(yy - multHi(u, 6419) - multHi(v, 13320) + 8708),
		vp8Clip8(yy + multHi(u, 33050) - 17685)
}

// vp8Row writes row y of a lossy WebP's YCbCr (4:2:0) and optional alpha as
// 8-bit NRGBA into out (4 bytes a pixel).
func vp8Row(src *image.YCbCr, alpha []byte, alphaStride, y int, out []byte) {
	b := src.Rect
	w, h := b.Dx(), b.Dy()
	cw, ch := (w+1)/2, (h+1)/2
	ny := y / 2 // the nearest chroma row, then the other one around it
	fy := ny - 1
	if y%2 == 1 {
		fy = ny + 1
	}
	fy = min(max(fy, 0), ch-1)
	ny = min(ny, ch-1)
	cn, cf := src.Cb[ny*src.CStride:], src.Cb[fy*src.CStride:]
	vn, vf := src.Cr[ny*src.CStride:], src.Cr[fy*src.CStride:]
	yrow := src.Y[y*src.YStride:]
	for x := 0; x < w; x++ {
		nx := min(x/2, cw-1)
		fx := nx - 1
		if x%2 == 1 {
			fx = nx + 1
		}
		fx = min(max(fx, 0), cw-1)
		u := (9*int(cn[nx]) + 3*int(cn[fx]) + 3*int(cf[nx]) + int(cf[fx]) + 8) >> 4
		v := (9*int(vn[nx]) + 3*int(vn[fx]) + 3*int(vf[nx]) + int(vf[fx]) + 8) >> 4
		o := out[4*x : 4*x+4]
		o[0], o[1], o[2] = vp8RGB(int(yrow[x]), u, v)
		o[3] = 255
		if alpha != nil {
			o[3] = alpha[y*alphaStride+x]
		}
	}
}
