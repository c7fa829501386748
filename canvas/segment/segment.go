// Package segment separates an object from its backdrop in a photograph
// without any model: a GrabCut-like segmentation (Rother et al. 2004:
// Gaussian mixture models of the object's and the backdrop's colours,
// refined by a graph min cut) run at a reduced size, whose edge is then
// refined at full resolution with a guided filter on the picture.
//
// The entry points are Object (a box around a thing, its mask), Subject
// (the picture's main object, without a box) and CutOut (a soft alpha
// matte of the subject, for a new background; WithAlpha applies it). They
// are pure Go, use the machine's cores, and can be cancelled through their
// context.
//
// Limits: the models know colours only, so an object whose colours the
// backdrop also has right beside it (a brown dog against autumn leaves)
// loses those parts, as GrabCut does; parts outside the box are always
// backdrop; Subject guesses the box from colour contrast with the border
// and a centre prior, and misses objects that touch the border or look
// like it. TestQualityAgainstGrabCut (ZEN_QUALITY=1) measures it against
// OpenCV's grabCut.
package segment

import (
	"context"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"maps"
	"math"
	"runtime"
	"slices"
	"sync"
)

// Options tunes a segmentation; the zero value is the default.
type Options struct {
	// Iterations is the number of GrabCut rounds (default 5).
	Iterations int
	// WorkPixels bounds the box's pixels at the reduced size the colour
	// models and the graph cut work on (default 200 000).
	WorkPixels int
	// Prior, when set, is a mask in the image's coordinates (255 = object)
	// the segmentation starts from inside the box instead of "all object":
	// a previous selection to refine.
	Prior *image.Gray
	// Progress, when set, is called from the segmenting goroutine with the
	// fraction done, from 0 to 1.
	Progress func(done float64)
}

// ErrEmptyBox is returned when the box does not overlap the image.
var ErrEmptyBox = errors.New("segment: the box does not overlap the image")

const (
	defaultIterations = 5
	defaultWorkPixels = 200_000
	gamma             = 50.0 // weight of the smoothness term, as in GrabCut
)

// Object returns the mask of the object inside box (in img's coordinates):
// a Gray image whose bounds are box clipped to the image, 255 on the
// object and 0 elsewhere. Pixels outside the box are backdrop.
func Object(ctx context.Context, img image.Image, box image.Rectangle, opt Options) (*image.Gray, error) {
	soft, err := segment(ctx, img, box, opt)
	if err != nil {
		return nil, err
	}
	out := &image.Gray{Pix: soft.v, Stride: soft.rect.Dx(), Rect: soft.rect}
	for i, v := range out.Pix {
		out.Pix[i] = 0
		if v >= 128 {
			out.Pix[i] = 255
		}
	}
	return out, nil
}

// Matte returns a soft alpha matte of the object inside box: the bounds
// are img's, the alpha 255 on the object, 0 on the backdrop and in between
// along the refined edge.
func Matte(ctx context.Context, img image.Image, box image.Rectangle, opt Options) (*image.Alpha, error) {
	soft, err := segment(ctx, img, box, opt)
	if err != nil {
		return nil, err
	}
	out := image.NewAlpha(img.Bounds())
	r := soft.rect
	for y := r.Min.Y; y < r.Max.Y; y++ {
		copy(out.Pix[out.PixOffset(r.Min.X, y):], soft.v[(y-r.Min.Y)*r.Dx():][:r.Dx()])
	}
	return out, nil
}

// Subject returns the mask of the picture's main object (what Select
// subject selects): Object with the box SubjectBox finds. Its bounds are
// that box.
func Subject(ctx context.Context, img image.Image, opt Options) (*image.Gray, error) {
	return Object(ctx, img, SubjectBox(img), opt)
}

// CutOut returns a soft alpha matte of the picture's main object, for
// cutting it out of a busy backdrop: Matte with the box SubjectBox finds
// when box is empty, else with box. The matte has img's bounds.
func CutOut(ctx context.Context, img image.Image, box image.Rectangle, opt Options) (*image.Alpha, error) {
	if box.Empty() {
		box = SubjectBox(img)
	}
	return Matte(ctx, img, box, opt)
}

// WithAlpha returns img with the matte as its alpha (a cut-out for a new
// background): img's colours, the matte's alpha where it covers img, 0
// elsewhere.
func WithAlpha(img image.Image, matte *image.Alpha) *image.NRGBA {
	b := img.Bounds()
	out := image.NewNRGBA(b)
	draw.Draw(out, b, img, b.Min, draw.Src)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		row := out.Pix[out.PixOffset(b.Min.X, y):]
		for x := range b.Dx() {
			a := uint8(0)
			if image.Pt(b.Min.X+x, y).In(matte.Rect) {
				a = matte.Pix[matte.PixOffset(b.Min.X+x, y)]
			}
			row[4*x+3] = a
		}
	}
	return out
}

// softMask is a segmentation at full resolution: v from 0 (backdrop) to
// 255 (object) per pixel of rect, row by row.
type softMask struct {
	rect image.Rectangle
	v    []uint8
}

// work is the reduced picture the models and the cut work on.
type work struct {
	src    *image.NRGBA
	roi    image.Rectangle // the source pixels the work grid covers
	w, h   int
	sx, sy float64   // work pixels per source pixel
	pix    []float32 // RGB, 0–255
	box    image.Rectangle
}

func segment(ctx context.Context, img image.Image, box image.Rectangle, opt Options) (*softMask, error) {
	box = box.Intersect(img.Bounds())
	if box.Empty() {
		return nil, ErrEmptyBox
	}
	if opt.Iterations <= 0 {
		opt.Iterations = defaultIterations
	}
	if opt.WorkPixels <= 0 {
		opt.WorkPixels = defaultWorkPixels
	}
	progress := func(f float64) {
		if opt.Progress != nil {
			opt.Progress(f)
		}
	}
	progress(0)
	// The backdrop's model learns from the whole picture, as GrabCut's, or
	// when that would be more than four times the box's work, from a margin
	// around the box as wide as the box.
	s := math.Min(1, math.Sqrt(float64(opt.WorkPixels)/float64(box.Dx()*box.Dy())))
	roi := img.Bounds()
	if float64(roi.Dx()*roi.Dy())*s*s > 4*float64(opt.WorkPixels) {
		margin := max(box.Dx(), box.Dy())
		roi = box.Inset(-margin).Intersect(img.Bounds())
	}
	src := asNRGBA(img, roi)
	wk := downscale(src, roi, s)
	wk.box = image.Rect(
		int(math.Round(float64(box.Min.X-roi.Min.X)*wk.sx)), int(math.Round(float64(box.Min.Y-roi.Min.Y)*wk.sy)),
		int(math.Round(float64(box.Max.X-roi.Min.X)*wk.sx)), int(math.Round(float64(box.Max.Y-roi.Min.Y)*wk.sy)),
	).Intersect(image.Rect(0, 0, wk.w, wk.h))
	if wk.box.Empty() {
		return nil, ErrEmptyBox
	}
	progress(0.1)
	var prior []bool
	if opt.Prior != nil {
		prior = wk.priorLabels(opt.Prior)
	}
	fg, err := grabCut(ctx, wk, prior, opt.Iterations, func(f float64) { progress(0.1 + 0.7*f) })
	if err != nil {
		return nil, err
	}
	soft := refine(wk, fg, box, func(f float64) { progress(0.8 + 0.2*f) })
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("segment: %w", err)
	}
	progress(1)
	return soft, nil
}

// asNRGBA returns img as an NRGBA covering at least r, without a copy when
// it already is one.
func asNRGBA(img image.Image, r image.Rectangle) *image.NRGBA {
	if n, ok := img.(*image.NRGBA); ok {
		return n
	}
	n := image.NewNRGBA(r)
	draw.Draw(n, r, img, r.Min, draw.Src)
	return n
}

// parallel runs fn over [0, n) split in one band per core.
func parallel(n int, fn func(lo, hi int)) {
	k := min(runtime.GOMAXPROCS(0), max(1, n/16))
	var wg sync.WaitGroup
	for i := range k {
		lo, hi := n*i/k, n*(i+1)/k
		wg.Go(func() { fn(lo, hi) })
	}
	wg.Wait()
}

// downscale averages the source pixels of roi into a grid s times smaller.
func downscale(src *image.NRGBA, roi image.Rectangle, s float64) *work {
	w := max(1, int(math.Round(float64(roi.Dx())*s)))
	h := max(1, int(math.Round(float64(roi.Dy())*s)))
	wk := &work{src: src, roi: roi, w: w, h: h, sx: float64(w) / float64(roi.Dx()), sy: float64(h) / float64(roi.Dy())}
	wk.pix = make([]float32, w*h*3)
	xs := make([]int, w+1)
	for i := range xs {
		xs[i] = roi.Min.X + i*roi.Dx()/w
	}
	parallel(h, func(lo, hi int) {
		acc := make([]uint32, w*4)
		for y := lo; y < hi; y++ {
			clear(acc)
			y0, y1 := roi.Min.Y+y*roi.Dy()/h, roi.Min.Y+(y+1)*roi.Dy()/h
			for sy := y0; sy < y1; sy++ {
				row := src.Pix[src.PixOffset(0, sy):]
				for x := range w {
					a := acc[x*4 : x*4+4]
					for sx := xs[x]; sx < xs[x+1]; sx++ {
						o := (sx - src.Rect.Min.X) * 4
						a[0] += uint32(row[o])
						a[1] += uint32(row[o+1])
						a[2] += uint32(row[o+2])
						a[3]++
					}
				}
			}
			out := wk.pix[y*w*3:]
			for x := range w {
				a := acc[x*4:]
				n := float32(max(a[3], 1))
				out[x*3], out[x*3+1], out[x*3+2] = float32(a[0])/n, float32(a[1])/n, float32(a[2])/n
			}
		}
	})
	return wk
}

// priorLabels samples a prior mask at the work grid's box pixels.
func (wk *work) priorLabels(p *image.Gray) []bool {
	b := wk.box
	out := make([]bool, b.Dx()*b.Dy())
	for y := b.Min.Y; y < b.Max.Y; y++ {
		sy := wk.roi.Min.Y + int((float64(y)+0.5)/wk.sy)
		for x := b.Min.X; x < b.Max.X; x++ {
			sx := wk.roi.Min.X + int((float64(x)+0.5)/wk.sx)
			if image.Pt(sx, sy).In(p.Rect) && p.GrayAt(sx, sy).Y >= 128 {
				out[(y-b.Min.Y)*b.Dx()+x-b.Min.X] = true
			}
		}
	}
	return out
}

// grabCut labels the work grid's box pixels object (true) or backdrop.
func grabCut(ctx context.Context, wk *work, prior []bool, iters int, progress func(float64)) ([]bool, error) {
	b := wk.box
	bw, bh := b.Dx(), b.Dy()
	fg := make([]bool, bw*bh)
	if prior != nil {
		copy(fg, prior)
	} else {
		for i := range fg {
			fg[i] = true
		}
	}
	pix := wk.pix
	at := func(x, y int) []float32 { o := (y*wk.w + x) * 3; return pix[o : o+3] }
	inBox := func(x, y int) bool { return x >= b.Min.X && x < b.Max.X && y >= b.Min.Y && y < b.Max.Y }

	// β: the inverse of twice the mean squared colour step between
	// neighbours.
	sum, n := 0.0, 0
	for y := range wk.h {
		for x := range wk.w {
			c := at(x, y)
			for _, d := range [4][2]int{{1, 0}, {0, 1}, {1, 1}, {-1, 1}} {
				if nx, ny := x+d[0], y+d[1]; nx >= 0 && nx < wk.w && ny < wk.h {
					sum += diff2(c, at(nx, ny))
					n++
				}
			}
		}
	}
	beta := 0.0
	if sum > 0 {
		beta = float64(n) / (2 * sum)
	}
	// The smoothness weights of the box's nodes, and what their
	// neighbours outside the box (backdrop) add to the sink.
	nw := make([]float32, bw*bh*8)
	edge := make([]float32, bw*bh)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			i := (y-b.Min.Y)*bw + x - b.Min.X
			c := at(x, y)
			for d := range 8 {
				nx, ny := x+dirX[d], y+dirY[d]
				if nx < 0 || ny < 0 || nx >= wk.w || ny >= wk.h {
					continue
				}
				wgt := gamma * math.Exp(-beta*diff2(c, at(nx, ny)))
				if d >= 4 {
					wgt /= math.Sqrt2
				}
				if inBox(nx, ny) {
					nw[i*8+d] = float32(wgt)
				} else {
					edge[i] += float32(wgt)
				}
			}
		}
	}

	// The backdrop outside the box never changes: a sample of it.
	var outside []int32
	step := max(1, (wk.w*wk.h-bw*bh)/150_000)
	for k, i := 0, 0; i < wk.w*wk.h; i++ {
		if !inBox(i%wk.w, i/wk.w) {
			if k%step == 0 {
				outside = append(outside, int32(i))
			}
			k++
		}
	}
	inStep := max(1, bw*bh/150_000)
	var fgM, bgM gmm
	sets := func() (f, g []int32) {
		g = append(g, outside...)
		for i := 0; i < bw*bh; i += inStep {
			p := int32((b.Min.Y+i/bw)*wk.w + b.Min.X + i%bw)
			if fg[i] {
				f = append(f, p)
			} else {
				g = append(g, p)
			}
		}
		return f, g
	}
	f, g := sets()
	if len(g) == 0 {
		// The box is the whole picture: its border stands for the backdrop.
		for i := range fg {
			if x, y := i%bw, i/bw; x == 0 || y == 0 || x == bw-1 || y == bh-1 {
				g = append(g, int32((b.Min.Y+y)*wk.w+b.Min.X+x))
			}
		}
	}
	fgM.initKMeans(pix, f)
	bgM.initKMeans(pix, g)

	gr := newGrid(bw, bh)
	for it := range iters {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("segment: %w", err)
		}
		if it > 0 {
			f, g = sets()
			relearn(&fgM, pix, f)
			relearn(&bgM, pix, g)
		}
		copy(gr.rc, nw)
		parallel(bh, func(lo, hi int) {
			for y := lo; y < hi; y++ {
				for x := range bw {
					i := y*bw + x
					c := at(b.Min.X+x, b.Min.Y+y)
					toS := bgM.nll(c) // the cost of calling it backdrop
					toT := fgM.nll(c) + float64(edge[i])
					gr.tr[i] = float32(toS - toT)
				}
			}
		})
		gr.maxflow()
		changed := 0
		for i := range fg {
			if s := gr.source(i); s != fg[i] {
				fg[i] = s
				changed++
			}
		}
		progress(float64(it+1) / float64(iters))
		if changed == 0 {
			break
		}
	}
	tidy(fg, bw, bh)
	return fg, nil
}

// tidy removes the specks a cut leaves: object islands smaller than 2 % of
// the largest, and holes in the object smaller than 1 % of the box that do
// not reach the box's edge.
func tidy(fg []bool, w, h int) {
	comp := make([]int32, len(fg))
	var sizes []int
	var stack []int
	label := func(want bool) {
		clear(comp)
		sizes = sizes[:0]
		for i := range fg {
			if fg[i] != want || comp[i] != 0 {
				continue
			}
			id := int32(len(sizes) + 1)
			n := 0
			stack = append(stack[:0], i)
			comp[i] = id
			for len(stack) > 0 {
				p := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				n++
				visit := func(q int) {
					if fg[q] == want && comp[q] == 0 {
						comp[q] = id
						stack = append(stack, q)
					}
				}
				if x := p % w; x > 0 {
					visit(p - 1)
				}
				if x := p % w; x < w-1 {
					visit(p + 1)
				}
				if p >= w {
					visit(p - w)
				}
				if p+w < len(fg) {
					visit(p + w)
				}
			}
			sizes = append(sizes, n)
		}
	}
	label(true)
	largest := 0
	for _, n := range sizes {
		largest = max(largest, n)
	}
	for i, c := range comp {
		if c != 0 && sizes[c-1]*50 < largest {
			fg[i] = false
		}
	}
	label(false)
	edge := make([]bool, len(sizes)+1)
	for i, c := range comp {
		if x, y := i%w, i/w; c != 0 && (x == 0 || y == 0 || x == w-1 || y == h-1) {
			edge[c] = true
		}
	}
	for i, c := range comp {
		if c != 0 && !edge[c] && sizes[c-1]*100 < len(fg) {
			fg[i] = true
		}
	}
}

// relearn assigns each listed pixel to its most likely component and fits
// the components again.
func relearn(m *gmm, pix []float32, idx []int32) {
	if len(idx) == 0 {
		return
	}
	old := *m
	m.reset()
	// Each band sums apart; the sums add up in the bands' order, so the
	// result does not depend on which finishes first.
	var mu sync.Mutex
	parts := map[int]*gmm{}
	parallel(len(idx), func(lo, hi int) {
		part := &gmm{}
		for _, p := range idx[lo:hi] {
			c := pix[p*3 : p*3+3]
			part.add(old.component(c), c)
		}
		mu.Lock()
		parts[lo] = part
		mu.Unlock()
	})
	for _, lo := range slices.Sorted(maps.Keys(parts)) {
		m.merge(parts[lo])
	}
	m.learn()
}

func diff2(a, b []float32) float64 {
	d0, d1, d2 := float64(a[0]-b[0]), float64(a[1]-b[1]), float64(a[2]-b[2])
	return d0*d0 + d1*d1 + d2*d2
}
