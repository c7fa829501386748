package imagefile_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/zeninpaint/studio/client/clienttest"
	"github.com/zeninpaint/studio/client/imagefile"
)

// bigFile is a 100-megapixel test file and what opening it must give.
type bigFile struct {
	name  string
	write func(path string) error
	fits  bool // decoded (within 1 GiB); else refused in plain words
}

var bigFiles = []bigFile{
	{"progressive-420.jpg", func(p string) error { return clienttest.WriteBigJPEG(p, 10000, 10000, "2x2", true) }, true},
	{"progressive-444.jpg", func(p string) error { return clienttest.WriteBigJPEG(p, 10000, 10000, "1x1", true) }, false},
	{"baseline-444.jpg", func(p string) error { return clienttest.WriteBigJPEG(p, 10000, 10000, "1x1", false) }, true},
	{"rgba-16bit.png", func(p string) error { return clienttest.WriteBigPNG(p, 10000, 10000, 6, 16) }, true},
	{"gray-16bit.png", func(p string) error { return clienttest.WriteBigPNG(p, 10000, 10000, 0, 16) }, true},
}

var (
	bigDirOnce sync.Once
	bigDir     string
	bigErr     error
)

// BigFiles writes the 100-megapixel files once per test binary.
func BigFiles(t *testing.T) string {
	t.Helper()
	bigDirOnce.Do(func() {
		bigDir, bigErr = os.MkdirTemp("", "zen-big-images-")
		for _, f := range bigFiles {
			if bigErr == nil {
				bigErr = f.write(filepath.Join(bigDir, f.name))
			}
		}
	})
	if errors.Is(bigErr, clienttest.ErrNoCJPEG) && os.Getenv("CI") == "" {
		t.Skip(bigErr)
	}
	if bigErr != nil {
		t.Fatal(bigErr)
	}
	return bigDir
}

// TestMain removes the big files after the tests.
func TestMain(m *testing.M) {
	code := m.Run()
	if bigDir != "" {
		os.RemoveAll(bigDir)
	}
	os.Exit(code)
}

// The child: decode the file named by the environment, say what became of
// it and report the peak resident memory.
func TestDecodePeakRSSChild(t *testing.T) {
	path := os.Getenv(clienttest.PeakRSSEnv)
	if path == "" {
		t.Skip("run by TestDecodePeakRSS")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	img, info, err := imagefile.Decode(data, 0)
	if err != nil {
		fmt.Printf("refused: %v\n", err)
	} else {
		fmt.Printf("decoded: %d×%d %T\n", info.Width, info.Height, img)
	}
	clienttest.ReportPeakRSS()
}

// Every 100-megapixel file is decoded with a peak resident memory of at
// most 1 GiB, or refused in plain words before its pixels are decoded.
func TestDecodePeakRSS(t *testing.T) {
	if testing.Short() {
		t.Skip("writes and decodes 100-megapixel files")
	}
	dir := BigFiles(t)
	for _, f := range bigFiles {
		out, mib := clienttest.RunChild(t, "TestDecodePeakRSSChild", filepath.Join(dir, f.name))
		st, _ := os.Stat(filepath.Join(dir, f.name))
		t.Logf("%-22s %6.1f MB file: peak RSS %4d MiB, %s", f.name, float64(st.Size())/1e6, mib, firstLine(out))
		if mib > 1024 {
			t.Errorf("%s: peak RSS %d MiB, over 1 GiB", f.name, mib)
		}
		switch {
		case f.fits && !strings.Contains(out, "decoded: 10000×10000"):
			t.Errorf("%s was not decoded: %s", f.name, firstLine(out))
		case !f.fits && !strings.Contains(out, "refused: image is too large to open"):
			t.Errorf("%s was not refused for its memory: %s", f.name, firstLine(out))
		}
	}
}

func firstLine(out string) string {
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "decoded:") || strings.HasPrefix(l, "refused:") {
			return l
		}
	}
	return out
}
