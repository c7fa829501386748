package clienttest

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/zeninpaint/studio/client/imagefile"
)

// Huge test images, written fast: low-entropy content streamed to disk, so
// a 100-megapixel file takes seconds and little memory to make.

// WriteBigPNG writes a w×h PNG of the colour type (0 gray, 2 RGB, 4 gray
// and alpha, 6 RGBA) and depth (8 or 16) to path: smooth bands, with one
// transparent pixel in the last row when it has alpha.
func WriteBigPNG(path string, w, h, colorType, depth int) error {
	channels := map[int]int{0: 1, 2: 3, 4: 2, 6: 4}[colorType]
	if channels == 0 || (depth != 8 && depth != 16) {
		return fmt.Errorf("colour type %d at %d bits is not supported here", colorType, depth)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	bw := bufio.NewWriterSize(f, 1<<20)
	bw.Write([]byte("\x89PNG\r\n\x1a\n"))
	ihdr := binary.BigEndian.AppendUint32(nil, uint32(w))
	ihdr = binary.BigEndian.AppendUint32(ihdr, uint32(h))
	ihdr = append(ihdr, byte(depth), byte(colorType), 0, 0, 0)
	imagefile.WritePNGChunk(bw, "IHDR", ihdr)
	// IDAT chunks of up to 1 MB, from a zlib stream of the rows.
	cw := &chunkWriter{w: bw}
	zw, _ := zlib.NewWriterLevel(cw, zlib.BestSpeed)
	bpp := channels * depth / 8
	row := make([]byte, 1+w*bpp)
	for y := 0; y < h; y++ {
		for i := range row[1:] {
			row[1+i] = 0
		}
		row[0] = 0
		for x := 0; x < w; x++ {
			px := row[1+x*bpp : 1+(x+1)*bpp]
			v := byte(x / 64 * 16)
			px[0] = v
			if channels >= 3 {
				px[depth/8] = byte(y / 64 * 8)
				px[2*depth/8] = 140
			}
			if channels == 2 || channels == 4 {
				a := px[(channels-1)*depth/8:]
				a[0] = 255
				if depth == 16 {
					a[1] = 255
				}
				if y == h-1 && x == w-1 {
					a[0] = 0
					if depth == 16 {
						a[1] = 0
					}
				}
			}
		}
		if _, err := zw.Write(row); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	cw.flush()
	imagefile.WritePNGChunk(bw, "IEND", nil)
	if err := bw.Flush(); err != nil {
		return err
	}
	return f.Close()
}

type chunkWriter struct {
	w   io.Writer
	buf bytes.Buffer
}

func (c *chunkWriter) Write(p []byte) (int, error) {
	c.buf.Write(p)
	if c.buf.Len() >= 1<<20 {
		c.flush()
	}
	return len(p), nil
}

func (c *chunkWriter) flush() {
	if c.buf.Len() > 0 {
		imagefile.WritePNGChunk(c.w, "IDAT", c.buf.Bytes())
		c.buf.Reset()
	}
}

// ErrNoCJPEG means libjpeg-turbo's cjpeg, which WriteBigJPEG needs, is not
// installed (Debian: libjpeg-turbo-progs; `make deps` installs it).
var ErrNoCJPEG = errors.New("cjpeg is not installed (apt-get install libjpeg-turbo-progs)")

// WriteBigJPEG writes a w×h JPEG to path with cjpeg: sampling "2x2" is
// 4:2:0 and "1x1" is 4:4:4; progressive as asked. The content is smooth
// gradients streamed to cjpeg as a PPM.
func WriteBigJPEG(path string, w, h int, sampling string, progressive bool) error {
	cjpeg, err := exec.LookPath("cjpeg")
	if err != nil {
		return ErrNoCJPEG
	}
	args := []string{"-quality", "85", "-sample", sampling, "-outfile", path}
	if progressive {
		args = append(args, "-progressive")
	}
	cmd := exec.Command(cjpeg, args...)
	in, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		return err
	}
	bw := bufio.NewWriterSize(in, 1<<20)
	fmt.Fprintf(bw, "P6\n%d %d\n255\n", w, h)
	row := make([]byte, 3*w)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			row[3*x], row[3*x+1], row[3*x+2] = byte(x*255/w), byte(y*255/h), 140
		}
		if _, err := bw.Write(row); err != nil {
			break
		}
	}
	bw.Flush()
	in.Close()
	if err := cmd.Wait(); err != nil {
		return fmt.Errorf("cjpeg: %w: %s", err, stderr.String())
	}
	return nil
}

// PeakRSSEnv names the environment variable that makes a test binary's
// child test run: its value is what the child is to do.
const PeakRSSEnv = "ZEN_PEAK_RSS_CHILD"

var (
	childMu   sync.Mutex
	childBins = map[*testing.T]string{}
)

// childBinary is this test binary, or, when it was built with the race
// detector, the same package's tests built without it (once per test, in
// its temporary folder, with the go command), so the child's memory is
// what users' processes use.
func childBinary(t *testing.T) string {
	t.Helper()
	if !Race {
		return os.Args[0]
	}
	childMu.Lock()
	defer childMu.Unlock()
	if bin, ok := childBins[t]; ok {
		return bin
	}
	bin := filepath.Join(t.TempDir(), "child.test")
	if out, err := exec.Command("go", "test", "-c", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("building the child without the race detector: %v\n%s", err, out)
	}
	childBins[t] = bin
	t.Cleanup(func() {
		childMu.Lock()
		delete(childBins, t)
		childMu.Unlock()
	})
	return bin
}

// RunChild runs the test named test of this package's test binary (built
// without the race detector) in a new process with PeakRSSEnv set to arg,
// and returns what it printed and its peak resident memory (VmHWM) in MiB,
// which the child prints with ReportPeakRSS.
func RunChild(t *testing.T, test, arg string) (out string, peakMiB int) {
	t.Helper()
	cmd := exec.Command(childBinary(t), "-test.run=^"+test+"$", "-test.v")
	cmd.Env = append(os.Environ(), PeakRSSEnv+"="+arg)
	b, err := cmd.CombinedOutput()
	out = string(b)
	if err != nil {
		t.Fatalf("the child for %s failed: %v\n%s", arg, err, out)
	}
	i := strings.Index(out, "peak-rss-kb: ")
	if i < 0 {
		t.Fatalf("the child for %s did not report its peak memory:\n%s", arg, out)
	}
	kb, _ := strconv.Atoi(strings.Fields(out[i+len("peak-rss-kb: "):])[0])
	return out, kb >> 10
}

// ReportPeakRSS prints this process's peak resident memory for RunChild.
func ReportPeakRSS() {
	status, _ := os.ReadFile("/proc/self/status")
	for _, line := range strings.Split(string(status), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			fmt.Printf("peak-rss-kb: %s\n", strings.Fields(line)[1])
		}
	}
}
