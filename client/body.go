package client

import (
	"bytes"
	"encoding/base64"
	"io"
)

// requestBody is a JSON body whose images are base64-encoded while it is
// read, so a 24 MP image is held once (its file bytes), never as a second
// base64 copy or a third inside a JSON buffer. Its length is known up front.
type requestBody struct {
	parts []bodyPart
	size  int64
}

type bodyPart struct {
	raw    []byte // written as is
	base64 bool   // raw is image bytes to encode
}

func newRequestBody(fields []wireField) (*requestBody, error) {
	b := &requestBody{}
	var lit bytes.Buffer
	flush := func() {
		if lit.Len() > 0 {
			b.add(bodyPart{raw: bytes.Clone(lit.Bytes())})
			lit.Reset()
		}
	}
	lit.WriteByte('{')
	for i, f := range fields {
		if i > 0 {
			lit.WriteByte(',')
		}
		if err := writeScalar(&lit, f.name); err != nil {
			return nil, err
		}
		lit.WriteByte(':')
		if f.image != nil {
			lit.WriteByte('"')
			flush()
			b.add(bodyPart{raw: f.image, base64: true})
			lit.WriteByte('"')
			continue
		}
		if err := writeScalar(&lit, f.value); err != nil {
			return nil, err
		}
	}
	lit.WriteByte('}')
	flush()
	return b, nil
}

func (b *requestBody) add(p bodyPart) {
	b.parts = append(b.parts, p)
	if p.base64 {
		b.size += int64(base64.StdEncoding.EncodedLen(len(p.raw)))
	} else {
		b.size += int64(len(p.raw))
	}
}

// reader returns a fresh reader over the whole body.
func (b *requestBody) reader() io.Reader {
	readers := make([]io.Reader, len(b.parts))
	for i, p := range b.parts {
		if p.base64 {
			readers[i] = &base64Reader{src: p.raw}
		} else {
			readers[i] = bytes.NewReader(p.raw)
		}
	}
	return io.MultiReader(readers...)
}

// base64Reader encodes src in 48 KiB steps (a multiple of 3, so padding
// appears only at the very end).
type base64Reader struct {
	src, buf, out []byte
}

const base64Step = 3 << 14

func (r *base64Reader) Read(p []byte) (int, error) {
	if len(r.out) == 0 {
		if len(r.src) == 0 {
			return 0, io.EOF
		}
		if r.buf == nil {
			r.buf = make([]byte, base64.StdEncoding.EncodedLen(min(len(r.src), base64Step)))
		}
		n := min(len(r.src), base64Step)
		m := base64.StdEncoding.EncodedLen(n)
		base64.StdEncoding.Encode(r.buf[:m], r.src[:n])
		r.out, r.src = r.buf[:m], r.src[n:]
	}
	n := copy(p, r.out)
	r.out = r.out[n:]
	return n, nil
}

// WriteTo writes the body to w without the 32 KiB copy buffer io.Copy
// would allocate per request, still reporting progress.
func (c *countingReader) WriteTo(w io.Writer) (int64, error) {
	return io.Copy(&countingWriter{w: w, c: c}, c.r)
}

type countingWriter struct {
	w io.Writer
	c *countingReader
}

func (cw *countingWriter) Write(p []byte) (int, error) {
	n, err := cw.w.Write(p)
	cw.c.n += int64(n)
	if n > 0 && cw.c.fn != nil {
		cw.c.fn(cw.c.n, cw.c.total)
	}
	return n, err
}

// countingReader reports bytes read so far to fn.
type countingReader struct {
	r     io.Reader
	n     int64
	total int64
	fn    func(sent, total int64)
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	if n > 0 && c.fn != nil {
		c.fn(c.n, c.total)
	}
	return n, err
}
