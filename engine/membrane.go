package engine

// membraneSweeps is how many over-relaxed Gauss-Seidel sweeps each level
// of the cascade gets; membraneOmega is their relaxation factor.
const (
	membraneSweeps = 6
	membraneOmega  = 1.7
)

// solveMembrane replaces the free pixels of f by the harmonic interpolation
// of the fixed ones (each free pixel the mean of its 4-neighbours inside
// the field), by a cascade: the field at half resolution is solved first
// (recursively), upsampled into the free pixels, then smoothed by a few
// over-relaxed Gauss-Seidel sweeps. The coarsest level starts from
// push-pull. Free pixels cut off from every fixed one stay as push-pull
// leaves them.
func solveMembrane(f *field) {
	var free []int32
	for i := range f.known {
		if !f.fixed(i) {
			free = append(free, int32(i))
		}
	}
	if len(free) == 0 {
		return
	}
	sweeps := membraneSweeps
	if len(free) <= 256 || f.w < 8 || f.h < 8 {
		pushPullField(f)
		sweeps = 4 * membraneSweeps
	} else {
		coarse := f.half()
		solveMembrane(coarse)
		f.upsampleFrom(coarse, free)
	}
	for range sweeps {
		f.sweep(free)
	}
}

// half is f at half resolution: a pixel is fixed when every pixel it
// covers is, with their mean.
func (f *field) half() *field {
	n := newField((f.w+1)/2, (f.h+1)/2)
	for y := 0; y < n.h; y++ {
		for x := 0; x < n.w; x++ {
			var sum [3]float32
			count, fixed := 0, true
			for dy := 0; dy < 2; dy++ {
				for dx := 0; dx < 2; dx++ {
					sx, sy := 2*x+dx, 2*y+dy
					if sx >= f.w || sy >= f.h {
						continue
					}
					i := sy*f.w + sx
					fixed = fixed && f.fixed(i)
					for k := range sum {
						sum[k] += f.c[k][i]
					}
					count++
				}
			}
			i := y*n.w + x
			n.setFixed(i, fixed)
			for k := range sum {
				n.c[k][i] = sum[k] / float32(count)
			}
		}
	}
	return n
}

// upsampleFrom sets the free pixels of f to the bilinear interpolation of
// coarse (f at half resolution).
func (f *field) upsampleFrom(coarse *field, free []int32) {
	for _, i := range free {
		x, y := int(i)%f.w, int(i)/f.w
		fy := max((float32(y)+0.5)/2-0.5, 0)
		y0 := min(int(fy), coarse.h-1)
		y1 := min(y0+1, coarse.h-1)
		ty := fy - float32(y0)
		fx := max((float32(x)+0.5)/2-0.5, 0)
		x0 := min(int(fx), coarse.w-1)
		x1 := min(x0+1, coarse.w-1)
		tx := fx - float32(x0)
		for k := range f.c {
			p := coarse.c[k]
			top := lerp(p[y0*coarse.w+x0], p[y0*coarse.w+x1], tx)
			bot := lerp(p[y1*coarse.w+x0], p[y1*coarse.w+x1], tx)
			f.c[k][i] = lerp(top, bot, ty)
		}
	}
}

// sweep is one over-relaxed Gauss-Seidel sweep over the free pixels.
func (f *field) sweep(free []int32) {
	w, h := f.w, f.h
	r, g, b := f.c[0], f.c[1], f.c[2]
	for _, i32 := range free {
		i := int(i32)
		x, y := i%w, i/w
		var sr, sg, sb, n float32
		if x > 0 {
			sr, sg, sb, n = sr+r[i-1], sg+g[i-1], sb+b[i-1], n+1
		}
		if x < w-1 {
			sr, sg, sb, n = sr+r[i+1], sg+g[i+1], sb+b[i+1], n+1
		}
		if y > 0 {
			sr, sg, sb, n = sr+r[i-w], sg+g[i-w], sb+b[i-w], n+1
		}
		if y < h-1 {
			sr, sg, sb, n = sr+r[i+w], sg+g[i+w], sb+b[i+w], n+1
		}
		inv := 1 / n
		r[i] += membraneOmega * (sr*inv - r[i])
		g[i] += membraneOmega * (sg*inv - g[i])
		b[i] += membraneOmega * (sb*inv - b[i])
	}
}

// pushPullField fills the free pixels of f by push-pull (fillHoles's
// diffusion): the start of the coarsest level of the cascade. Its fixed
// pixels stay fixed, and the others are left free.
func pushPullField(f *field) {
	known := f.known
	f.known = make([]float32, len(known))
	for i, k := range known {
		if k >= 1 {
			f.known[i] = 1
		}
	}
	_ = pushPull(f, func(float64) error { return nil })
	f.known = known
}
