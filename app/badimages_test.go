package app

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/storage"
	"golang.org/x/image/bmp"
	"golang.org/x/image/tiff"

	"github.com/zeninpaint/studio/app/document"
	"github.com/zeninpaint/studio/client"
	"github.com/zeninpaint/studio/client/clienttest"
)

// corpusFile is one file of the bad-image corpus and what loading it must
// give: an error containing want, or (want == "") an image that check
// accepts. A file that could not be made here says why in skip.
type corpusFile struct {
	name  string
	data  []byte
	want  string
	check func(t *testing.T, l *loadedImage)
	skip  string
}

// convertPath is the real ImageMagick convert (not a stand-in earlier on
// PATH).
var convertPath = "/usr/bin/convert"

// imageMagick runs convert on a PNG and returns the output file's bytes,
// or why it could not: only the files made with it then skip.
func imageMagick(t *testing.T, in []byte, outExt string, args ...string) (data []byte, skip string) {
	t.Helper()
	if _, err := os.Stat(convertPath); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("ImageMagick is missing: `make deps` installs it")
		}
		return nil, "ImageMagick is not installed: run `make deps`"
	}
	dir := t.TempDir()
	src, dst := filepath.Join(dir, "in.png"), filepath.Join(dir, "out"+outExt)
	if err := os.WriteFile(src, in, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(convertPath, append(append([]string{src}, args...), dst)...).CombinedOutput(); err != nil {
		t.Fatalf("convert %v: %v %s", args, err, out)
	}
	data, err := os.ReadFile(dst)
	if err != nil {
		t.Fatal(err)
	}
	return data, ""
}

// magick is a corpus file made by ImageMagick.
func magick(t *testing.T, f corpusFile, in []byte, outExt string, args ...string) corpusFile {
	t.Helper()
	f.data, f.skip = imageMagick(t, in, outExt, args...)
	return f
}

// withOrientation inserts an EXIF segment with an orientation tag after a
// JPEG's start marker, as cameras and phones write it.
func withOrientation(jpeg []byte, o uint16) []byte {
	tiff := []byte("MM\x00\x2a\x00\x00\x00\x08")      // big-endian, IFD0 at 8
	tiff = append(tiff, 0, 1)                         // one entry
	tiff = append(tiff, 0x01, 0x12, 0, 3, 0, 0, 0, 1) // Orientation, SHORT, count 1
	tiff = append(tiff, byte(o>>8), byte(o), 0, 0)
	tiff = append(tiff, 0, 0, 0, 0) // no next IFD
	seg := append([]byte("Exif\x00\x00"), tiff...)
	out := []byte{0xFF, 0xD8, 0xFF, 0xE1, byte((len(seg) + 2) >> 8), byte(len(seg) + 2)}
	out = append(out, seg...)
	return append(out, jpeg[2:]...)
}

// pngChunkHeader is a PNG with only an IHDR chunk declaring w×h.
func pngChunkHeader(w, h uint32) []byte {
	chunk := []byte("IHDR")
	chunk = binary.BigEndian.AppendUint32(chunk, w)
	chunk = binary.BigEndian.AppendUint32(chunk, h)
	chunk = append(chunk, 8, 6, 0, 0, 0)
	b := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0d"), chunk...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(chunk))
}

func encodeWith(t *testing.T, enc func(*bytes.Buffer) error) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := enc(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// badCorpus builds the corpus: 28 files a designer might drop.
func badCorpus(t *testing.T) []corpusFile {
	photo := clienttest.Photo(60, 40)
	photoPNG, photoJPEG := clienttest.PNG(photo), clienttest.JPEG(photo)
	size := func(w, h int) func(*testing.T, *loadedImage) {
		return func(t *testing.T, l *loadedImage) {
			if l.Info.Width != w || l.Info.Height != h {
				t.Errorf("size %dx%d, want %dx%d", l.Info.Width, l.Info.Height, w, h)
			}
		}
	}
	deep := image.NewNRGBA64(image.Rect(0, 0, 30, 20))
	for i := range deep.Pix {
		deep.Pix[i] = byte(i * 7)
	}
	pal := image.NewPaletted(image.Rect(0, 0, 20, 20), color.Palette{color.NRGBA{}, color.NRGBA{R: 200, A: 255}})
	for i := range pal.Pix {
		pal.Pix[i] = uint8(i % 2)
	}
	// A portrait photo (40×60) whose pixels are stored turned: EXIF says
	// "rotate 90° clockwise to view" (orientation 6).
	landscape := clienttest.Photo(60, 40)
	badCRC := bytes.Clone(photoPNG)
	badCRC[len(badCRC)-20] ^= 0xFF // inside the IDAT data: checksum mismatch
	return []corpusFile{
		{name: "empty.png", data: nil, want: "empty"},
		{name: "truncated.png", data: photoPNG[:len(photoPNG)/2], want: "damaged"},
		{name: "truncated.jpg", data: photoJPEG[:len(photoJPEG)/2], want: "damaged"},
		{name: "header-only.png", data: pngChunkHeader(60, 40), want: "damaged"},
		{name: "bomb.png", data: pngChunkHeader(100000, 100000), want: "too large"},
		{name: "bomb-narrow.png", data: pngChunkHeader(1, 2_000_000_000), want: "too large"},
		{name: "zero-width.png", data: pngChunkHeader(0, 40), want: "damaged"},
		{name: "bad-crc.png", data: badCRC, want: "damaged"},
		{name: "jpeg-named.png", data: photoJPEG, check: size(60, 40)},
		{name: "png-named.jpg", data: photoPNG, check: size(60, 40)},
		{name: "notes.txt", data: []byte("Call the client about the vase."), want: "not a supported image"},
		{name: "page.jpg", data: []byte("<!doctype html><title>404</title>"), want: "not a supported image"},
		{name: "soi-only.jpg", data: []byte{0xFF, 0xD8}, want: "damaged"},
		{name: "16-bit.png", data: encodeWith(t, func(b *bytes.Buffer) error { return png.Encode(b, deep) }), check: size(30, 20)},
		{name: "paletted-transparent.png", data: encodeWith(t, func(b *bytes.Buffer) error { return png.Encode(b, pal) }),
			check: func(t *testing.T, l *loadedImage) {
				if !l.Transparent {
					t.Error("a paletted PNG with a transparent colour is not seen as transparent")
				}
			}},
		{name: "gray.jpg", data: clienttest.JPEG(clienttest.Depth(30, 20)), check: func(t *testing.T, l *loadedImage) {
			if !l.Gray {
				t.Error("a grayscale JPEG is not seen as grayscale")
			}
		}},
		{name: "one-pixel.png", data: clienttest.PNG(clienttest.Photo(1, 1)), check: size(1, 1)},
		{name: "animated.gif", data: encodeWith(t, func(b *bytes.Buffer) error {
			return gif.EncodeAll(b, &gif.GIF{Image: []*image.Paletted{pal, pal}, Delay: []int{10, 10}})
		}), check: func(t *testing.T, l *loadedImage) {
			if l.Info.Format != "png" {
				t.Errorf("a GIF is sent as %s, want PNG", l.Info.Format)
			}
		}},
		{name: "old.bmp", data: encodeWith(t, func(b *bytes.Buffer) error { return bmp.Encode(b, photo) }), check: size(60, 40)},
		{name: "scan.tiff", data: encodeWith(t, func(b *bytes.Buffer) error { return tiff.Encode(b, photo, nil) }), check: size(60, 40)},
		magick(t, corpusFile{name: "cmyk.jpg", check: size(60, 40)}, photoPNG, ".jpg", "-colorspace", "CMYK"),
		magick(t, corpusFile{name: "gray-alpha.png", check: func(t *testing.T, l *loadedImage) {
			if !l.Transparent || !l.Gray {
				t.Errorf("gray+alpha: transparent %v, gray %v", l.Transparent, l.Gray)
			}
		}}, clienttest.PNG(clienttest.Subject(30, 30)), ".png", "-colorspace", "Gray", "-define", "png:color-type=4"),
		{name: "phone-portrait.jpg", data: withOrientation(clienttest.JPEG(landscape), 6),
			check: func(t *testing.T, l *loadedImage) {
				size(40, 60)(t, l) // shown upright
				if l.Info.Format != "png" {
					t.Error("a turned JPEG is sent as it is, not upright")
				}
			}},
		{name: "upside-down.jpg", data: withOrientation(clienttest.JPEG(landscape), 3),
			check: func(t *testing.T, l *loadedImage) {
				size(60, 40)(t, l)
				if l.Info.Format != "png" {
					t.Error("a JPEG turned 180° is sent as it is, not upright")
				}
			}},
		{name: "opaque-subject.png", data: photoPNG, check: func(t *testing.T, l *loadedImage) {
			if l.Transparent {
				t.Error("an opaque PNG is seen as transparent")
			}
		}},
		{name: "wrong-size-mask.png", data: clienttest.PNG(clienttest.Mask(17, 9, image.Rect(0, 0, 5, 5))), check: size(17, 9)},
		{name: "folder.png", data: nil, want: "folder"},
		{name: "huge-file.png", data: nil, want: "over 512 MB"},
	}
}

// writeCorpus writes the corpus to a folder: real files, with the folder
// and the sparse huge file made as such.
func writeCorpus(t *testing.T, corpus []corpusFile) string {
	dir := t.TempDir()
	for _, c := range corpus {
		path := filepath.Join(dir, c.name)
		var err error
		switch c.name {
		case "folder.png":
			err = os.Mkdir(path, 0o700)
		case "huge-file.png":
			var f *os.File
			if f, err = os.Create(path); err == nil {
				err = f.Truncate(600 << 20) // sparse: no disk used
				f.Close()
			}
		default:
			err = os.WriteFile(path, c.data, 0o600)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestBadImageCorpus(t *testing.T) {
	corpus := badCorpus(t)
	if len(corpus) < 25 {
		t.Fatalf("the corpus has %d files, want ≥ 25", len(corpus))
	}
	dir := writeCorpus(t, corpus)
	for _, c := range corpus {
		t.Run(c.name, func(t *testing.T) {
			if c.skip != "" {
				t.Skip(c.skip)
			}
			l, err := document.LoadFile(filepath.Join(dir, c.name))
			if c.want != "" {
				if err == nil || !strings.Contains(err.Error(), c.want) {
					t.Fatalf("error %v, want one saying %q", err, c.want)
				}
				if !strings.Contains(err.Error(), c.name) {
					t.Errorf("the message %q does not name the file as it is on disk", err)
				}
				if bad := goErrorText(strings.ReplaceAll(err.Error(), c.name, "")); bad != "" {
					t.Errorf("the message %q shows Go's error text %q", err, bad)
				}
				return
			}
			if err != nil {
				t.Fatalf("a usable file was refused: %v", err)
			}
			if l.Info.Format != "png" && l.Info.Format != "jpeg" {
				t.Errorf("would send %s; the API takes PNG or JPEG", l.Info.Format)
			}
			if c.check != nil {
				c.check(t, l)
			}
		})
	}
}

// goErrorText is the first piece of a Go decoder's or the system's error
// text found in msg, or "": none of it is for people.
func goErrorText(msg string) string {
	for _, s := range []string{"image:", "png:", "jpeg:", "invalid format", "unexpected EOF", "bmp:", "tiff:",
		"webp:", "gif:", "riff:", "zlib", "flate", "open /", "no such file"} {
		if strings.Contains(msg, s) {
			return s
		}
	}
	return ""
}

// Dropping every refused file on a studio that has work in it changes
// nothing and says why.
func TestRefusedFilesChangeNothing(t *testing.T) {
	corpus := badCorpus(t)
	dir := writeCorpus(t, corpus)
	ts := newTestStudio(t, "")
	ts.load("canvas", ts.file("room.png", clienttest.PNG(photo)))
	ts.load(fieldSubject, ts.file("vase.png", clienttest.PNG(cutout)))
	ts.paint()
	before := map[client.Role]*loadedImage{}
	for k, v := range ts.doc.Inputs() {
		before[k] = v
	}
	mask, _ := ts.editor.MaskPNG()
	for _, c := range corpus {
		if c.want == "" {
			continue
		}
		for _, target := range []client.Role{onCanvas, fieldSubject, fieldMask} {
			ts.load(target, storage.NewFileURI(filepath.Join(dir, c.name)))
			top := ts.win.Canvas().Overlays().Top()
			if top == nil {
				t.Fatalf("%s on %s: no message", c.name, target)
			}
			shown := strings.Join(visibleTexts(top), " ")
			if c.name != "huge-file.png" && !strings.Contains(shown, c.name) {
				t.Errorf("%s on %s: the dialog %q does not name the file as it is on disk", c.name, target, shown)
			}
			if bad := goErrorText(strings.ReplaceAll(shown, c.name, "")); bad != "" {
				t.Errorf("%s on %s: the dialog %q shows %q", c.name, target, shown, bad)
			}
			ts.win.Canvas().Overlays().Remove(top)
		}
	}
	for k, v := range before {
		if ts.doc.Input(k) != v {
			t.Errorf("the %s changed after refusals", k)
		}
	}
	if len(ts.doc.Inputs()) != len(before) {
		t.Errorf("inputs %d, were %d", len(ts.doc.Inputs()), len(before))
	}
	if after, _ := ts.editor.MaskPNG(); !bytes.Equal(after, mask) {
		t.Error("the mask changed after refusals")
	}
	ts.setMode(client.ModeBackground)
	asked := ts.answer() // the designer cancels the question
	ts.load(fieldSubject, ts.file("opaque.png", clienttest.PNG(photo)))
	if len(*asked) != 1 || ts.doc.Input(fieldSubject).Name != "vase.png" {
		t.Errorf("an opaque subject for New background: asked %v, subject %q", *asked, ts.doc.Input(fieldSubject).Name)
	}
}

// FuzzLoadImage: the loader never panics, and what it accepts is an image
// it can send.
func FuzzLoadImage(f *testing.F) {
	for _, c := range []corpusFile{{data: clienttest.PNG(clienttest.Photo(8, 8))}, {data: clienttest.JPEG(clienttest.Photo(8, 8))},
		{data: pngChunkHeader(100000, 100000)}, {data: []byte("GIF89a")}, {data: []byte{0xFF, 0xD8, 0xFF, 0xE1, 0, 8, 'E', 'x'}}} {
		f.Add(c.data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := document.LoadBytes("fuzz", data)
		if err == nil && (l.Info.Format != "png" && l.Info.Format != "jpeg" || l.Thumb == nil) {
			t.Fatalf("accepted as %s without a thumbnail", l.Info.Format)
		}
	})
}
