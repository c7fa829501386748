package engine

import "image"

// This file holds CutOut's mask clean-up (small parts, gaps, enclosed
// holes) and its soft edge.

// keepLargeParts clears the 8-connected parts of set smaller than a tenth
// of the largest (specks of noise, dust, a stray reflection).
func keepLargeParts(set []bool, w, h int) {
	label := make([]int32, w*h)
	var sizes []int
	var stack []int
	for start, s := range set {
		if !s || label[start] != 0 {
			continue
		}
		id := int32(len(sizes) + 1)
		size := 0
		label[start] = id
		stack = append(stack[:0], start)
		for len(stack) > 0 {
			i := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			size++
			x, y := i%w, i/w
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					nx, ny := x+dx, y+dy
					if nx >= 0 && ny >= 0 && nx < w && ny < h {
						if j := ny*w + nx; set[j] && label[j] == 0 {
							label[j] = id
							stack = append(stack, j)
						}
					}
				}
			}
		}
		sizes = append(sizes, size)
	}
	largest := 0
	for _, s := range sizes {
		largest = max(largest, s)
	}
	for i, l := range label {
		if l != 0 && sizes[l-1]*10 < largest {
			set[i] = false
		}
	}
}

// fillEnclosed sets every pixel that the unset pixels touching the
// picture's border cannot reach (4-connected): the subject's interior
// holes, where its colours happen to match the backdrop.
func fillEnclosed(set []bool, w, h int) {
	outside := make([]bool, w*h)
	var stack []int
	push := func(i int) {
		if !set[i] && !outside[i] {
			outside[i] = true
			stack = append(stack, i)
		}
	}
	for x := 0; x < w; x++ {
		push(x)
		push((h-1)*w + x)
	}
	for y := 0; y < h; y++ {
		push(y * w)
		push(y*w + w - 1)
	}
	for len(stack) > 0 {
		i := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		x, y := i%w, i/w
		if x > 0 {
			push(i - 1)
		}
		if x < w-1 {
			push(i + 1)
		}
		if y > 0 {
			push(i - w)
		}
		if y < h-1 {
			push(i + w)
		}
	}
	for i := range set {
		set[i] = !outside[i]
	}
}

// mattEdge turns the hard subject mask sure into a soft alpha: pixels more
// than a few pixels inside it are opaque, those more than a few outside
// transparent, and each pixel of the band between is read as a mix
// I = αF + (1-α)B of the subject's nearby colour F (the inner pixels'
// colours spread outward by push-pull) and the backdrop's B (the colours
// of the backdrop just outside the band, shadows included, spread inward),
// α being the projection of I-B on F-B. Where F and B are too alike for that, α follows
// the distance from the backdrop between low and high. It also returns F
// at the band's pixels, the colour an edge pixel takes in the cut-out.
func mattEdge(img *image.NRGBA, dist []float32, sure []bool, w, h int, low, high float32) (*image.Gray, []uint8, error) {
	r := max(2, min(w, h)/250)
	near := dilate(sure, w, h, r) // within r of the subject
	notSure := make([]bool, w*h)
	for i, s := range sure {
		notSure[i] = !s
	}
	nearOut := dilate(notSure, w, h, r) // within r of the backdrop
	// F: the inner pixels' colours, spread outward; B: the colours of the
	// backdrop just outside, shadows and all, spread inward.
	lv := spreadColours(img, nearOut)
	lb := spreadColours(img, near)
	alpha := image.NewGray(image.Rect(0, 0, w, h))
	fg := make([]uint8, 3*w*h)
	for i := range alpha.Pix {
		switch {
		case !near[i]:
			continue // backdrop
		case !nearOut[i]:
			alpha.Pix[i] = 255
			continue
		}
		o := img.PixOffset(img.Rect.Min.X+i%w, img.Rect.Min.Y+i/w)
		var num, den float32
		for k := 0; k < 3; k++ {
			b := lb.c[k][i]
			f := lv.c[k][i] - b
			num += (float32(img.Pix[o+k]) - b) * f
			den += f * f
			fg[3*i+k] = clamp8(lv.c[k][i])
		}
		var a float32
		if den > 24*24 {
			a = num / den
		} else {
			a = (dist[i] - low) / (high - low)
		}
		alpha.Pix[i] = clamp8(255 * min(max(a, 0), 1))
	}
	return alpha, fg, nil
}

// closing is the morphological closing of set by a square of the given
// radius (a dilation, then an erosion): set with its gaps and notches
// narrower than the square bridged.
func closing(set []bool, w, h, radius int) []bool {
	grown := dilate(set, w, h, radius)
	for i, v := range grown {
		grown[i] = !v
	}
	shrunk := dilate(grown, w, h, radius)
	for i, v := range shrunk {
		shrunk[i] = !v
	}
	return shrunk
}

// spreadColours is img's colours where skip is not set, spread by
// push-pull over the pixels where it is.
func spreadColours(img *image.NRGBA, skip []bool) *field {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	lv := newField(w, h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			i := y*w + x
			o := img.PixOffset(img.Rect.Min.X+x, img.Rect.Min.Y+y)
			for k := 0; k < 3; k++ {
				lv.c[k][i] = float32(img.Pix[o+k])
			}
			if !skip[i] {
				lv.known[i] = 1
			}
		}
	}
	_ = pushPull(lv, func(float64) error { return nil }) // it never fails so
	return lv
}
