package engine

// field is a float RGB picture being completed, the working form of the
// engine's smooth fills: each channel a plane of float32, and how known
// each pixel is. known is 1 for a known pixel (fixed: a boundary value of
// the membrane, never changed by push-pull), 0 for one to be filled, and
// in between for push-pull's coarser levels and a soft mask's edge.
type field struct {
	w, h  int
	c     [3][]float32
	known []float32
}

func newField(w, h int) *field {
	f := &field{w: w, h: h, known: make([]float32, w*h)}
	for k := range f.c {
		f.c[k] = make([]float32, w*h)
	}
	return f
}

// fixed reports whether pixel i is fully known.
func (f *field) fixed(i int) bool { return f.known[i] >= 1 }

// setFixed marks pixel i known (1) or to be filled (0).
func (f *field) setFixed(i int, fixed bool) {
	f.known[i] = 0
	if fixed {
		f.known[i] = 1
	}
}
