package engine

import (
	"image"
	"math"
)

// Harmonization strengths: how far a subject's colour statistics move
// toward its surroundings' (0 = not at all, 1 = all the way). Lightness
// moves less than colour, so a subject keeps its own contrast and shape.
const (
	harmonizeLightness = 0.3
	harmonizeColour    = 0.45
)

// harmonize nudges the colours of layer's visible pixels (alpha > 0) toward
// the colour statistics of bg over the pixels where around is set: the
// mean and standard deviation of each channel in Oklab (Ottosson, 2020) are
// matched, as in Reinhard et al., "Color Transfer between Images" (IEEE
// CG&A 2001), then only part of the way (the harmonize* strengths), with the
// contrast change limited to ×0.8–1.25. A subject shot under other light
// then sits in the scene without losing its own colours.
func harmonize(layer, bg *image.NRGBA, around *image.Gray) {
	var subj, scene labStats
	for i := 0; i < len(layer.Pix)/4; i++ {
		if a := layer.Pix[4*i+3]; a > 128 {
			subj.add(toOklab(layer.Pix[4*i : 4*i+3]))
		}
		if around.Pix[i] != 0 {
			scene.add(toOklab(bg.Pix[4*i : 4*i+3]))
		}
	}
	if subj.n == 0 || scene.n == 0 {
		return
	}
	sm, ss := subj.meanStd()
	tm, ts := scene.meanStd()
	var gain, shift [3]float64
	for c := 0; c < 3; c++ {
		strength := harmonizeColour
		if c == 0 {
			strength = harmonizeLightness
		}
		k := 1.0
		if ss[c] > 1e-4 {
			k = min(max(ts[c]/ss[c], 0.8), 1.25)
		}
		// v' = v + s·((tm + (v - sm)·k) - v) = v·(1 + s(k-1)) + s(tm - sm·k)
		gain[c] = 1 + strength*(k-1)
		shift[c] = strength * (tm[c] - sm[c]*k)
	}
	for i := 0; i < len(layer.Pix)/4; i++ {
		if layer.Pix[4*i+3] == 0 {
			continue
		}
		lab := toOklab(layer.Pix[4*i : 4*i+3])
		for c := 0; c < 3; c++ {
			lab[c] = lab[c]*gain[c] + shift[c]
		}
		fromOklab(lab, layer.Pix[4*i:4*i+3])
	}
}

// labStats accumulates the mean and variance of Oklab colours.
type labStats struct {
	n          float64
	sum, sumSq [3]float64
}

func (s *labStats) add(lab [3]float64) {
	s.n++
	for c, v := range lab {
		s.sum[c] += v
		s.sumSq[c] += v * v
	}
}

func (s *labStats) meanStd() (mean, std [3]float64) {
	for c := range mean {
		mean[c] = s.sum[c] / s.n
		std[c] = math.Sqrt(max(0, s.sumSq[c]/s.n-mean[c]*mean[c]))
	}
	return mean, std
}

// srgbToLinear maps an 8-bit sRGB value to linear light.
var srgbToLinear = func() (t [256]float64) {
	for i := range t {
		v := float64(i) / 255
		if v <= 0.04045 {
			t[i] = v / 12.92
		} else {
			t[i] = math.Pow((v+0.055)/1.055, 2.4)
		}
	}
	return t
}()

// linearToSRGB maps linear light, quantised to 1/4095, back to 8-bit sRGB.
var linearToSRGB = func() (t [4096]uint8) {
	for i := range t {
		v := float64(i) / 4095
		if v <= 0.0031308 {
			v *= 12.92
		} else {
			v = 1.055*math.Pow(v, 1/2.4) - 0.055
		}
		t[i] = uint8(min(max(v*255+0.5, 0), 255))
	}
	return t
}()

// toOklab converts one 8-bit sRGB pixel to Oklab (L in 0..1).
func toOklab(rgb []uint8) [3]float64 {
	r, g, b := srgbToLinear[rgb[0]], srgbToLinear[rgb[1]], srgbToLinear[rgb[2]]
	l := math.Cbrt(0.4122214708*r + 0.5363325363*g + 0.0514459929*b)
	m := math.Cbrt(0.2119034982*r + 0.6806995451*g + 0.1073969566*b)
	s := math.Cbrt(0.0883024619*r + 0.2817188376*g + 0.6299787005*b)
	return [3]float64{
		0.2104542553*l + 0.7936177850*m - 0.0040720468*s,
		1.9779984951*l - 2.4285922050*m + 0.4505937099*s,
		0.0259040371*l + 0.7827717662*m - 0.8086757660*s,
	}
}

// fromOklab converts an Oklab colour back to 8-bit sRGB in rgb, clipping
// colours outside the gamut.
func fromOklab(lab [3]float64, rgb []uint8) {
	l := lab[0] + 0.3963377774*lab[1] + 0.2158037573*lab[2]
	m := lab[0] - 0.1055613458*lab[1] - 0.0638541728*lab[2]
	s := lab[0] - 0.0894841775*lab[1] - 1.2914855480*lab[2]
	l, m, s = l*l*l, m*m*m, s*s*s
	lin := [3]float64{
		+4.0767416621*l - 3.3077115913*m + 0.2309699292*s,
		-1.2684380046*l + 2.6097574011*m - 0.3413193965*s,
		-0.0041960863*l - 0.7034186147*m + 1.7076147010*s,
	}
	for c, v := range lin {
		rgb[c] = linearToSRGB[int(min(max(v, 0), 1)*4095+0.5)]
	}
}
