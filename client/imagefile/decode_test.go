package imagefile

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/disintegration/imaging"
)

// pattern fills a w×h image of any type with varied colours and, when it
// has alpha, varied transparency.
func pattern(img draw.Image) {
	b := img.Bounds()
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			img.Set(x, y, color.NRGBA64{uint16(x * 5001), uint16(y * 7919), uint16((x + y) * 3331), uint16(0xFFFF - x*y*977)})
		}
	}
}

func asNRGBA(img image.Image) *image.NRGBA {
	out := image.NewNRGBA(image.Rect(0, 0, img.Bounds().Dx(), img.Bounds().Dy()))
	draw.Draw(out, out.Rect, img, img.Bounds().Min, draw.Src)
	return out
}

// maxDiff is the largest difference of a channel between two images of the
// same size.
func maxDiff(t *testing.T, a, b *image.NRGBA) int {
	t.Helper()
	if a.Rect.Size() != b.Rect.Size() {
		t.Fatalf("sizes %v and %v", a.Rect.Size(), b.Rect.Size())
	}
	worst := 0
	for y := 0; y < a.Rect.Dy(); y++ {
		for x := 0; x < a.Rect.Dx(); x++ {
			p, q := a.NRGBAAt(x, y), b.NRGBAAt(x, y)
			if p.A == 0 && q.A == 0 {
				continue // the colour of a transparent pixel does not matter
			}
			for _, d := range []int{int(p.R) - int(q.R), int(p.G) - int(q.G), int(p.B) - int(q.B), int(p.A) - int(q.A)} {
				worst = max(worst, d, -d)
			}
		}
	}
	return worst
}

// The streaming PNG decoder gives what the standard library gives, for
// every colour type and depth Go writes, plus interlaced files.
func TestPNGStreamMatchesStandardLibrary(t *testing.T) {
	r := image.Rect(0, 0, 37, 23)
	var cases []struct {
		name string
		data []byte
		tol  int
	}
	add := func(name string, img draw.Image, tol int) {
		pattern(img)
		var buf bytes.Buffer
		if err := png.Encode(&buf, img); err != nil {
			t.Fatal(err)
		}
		cases = append(cases, struct {
			name string
			data []byte
			tol  int
		}{name, buf.Bytes(), tol})
	}
	add("gray8", image.NewGray(r), 0)
	add("gray16", image.NewGray16(r), 0)
	add("nrgba8", image.NewNRGBA(r), 0)
	add("nrgba16", image.NewNRGBA64(r), 1)
	add("rgba16", image.NewRGBA64(r), 1)
	opaque := image.NewRGBA(r)
	add("rgb8", opaque, 0)
	for _, n := range []int{2, 4, 16, 256} {
		pal := color.Palette{}
		for i := 0; i < n; i++ {
			pal = append(pal, color.NRGBA{uint8(i * 37), uint8(i * 91), uint8(i * 13), uint8(255 - i%3*120)})
		}
		add(fmt.Sprintf("paletted %d", n), image.NewPaletted(r, pal), 1) // the reference goes through premultiplied alpha
	}
	if _, err := os.Stat("/usr/bin/convert"); err == nil {
		for _, c := range cases[:6] {
			dir := t.TempDir()
			in, out := filepath.Join(dir, "in.png"), filepath.Join(dir, "out.png")
			_ = os.WriteFile(in, c.data, 0o600)
			if msg, err := exec.Command("/usr/bin/convert", in, "-interlace", "PNG", out).CombinedOutput(); err != nil {
				t.Fatalf("convert: %v %s", err, msg)
			}
			data, _ := os.ReadFile(out)
			cases = append(cases, struct {
				name string
				data []byte
				tol  int
			}{c.name + " interlaced", data, c.tol + 1})
		}
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want, err := png.Decode(bytes.NewReader(c.data))
			if err != nil {
				t.Fatal(err)
			}
			got, info, err := Decode(c.data, 0)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(c.name, "interlaced") && !info.Interlaced {
				t.Error("not seen as interlaced")
			}
			if d := maxDiff(t, asNRGBA(got), asNRGBA(want)); d > c.tol {
				t.Errorf("differs by %d from the standard library", d)
			}
		})
	}
}

// withEXIF puts an eXIf chunk with an orientation into a PNG.
func withEXIF(pngData []byte, o uint16) []byte {
	tiff := []byte("MM\x00\x2a\x00\x00\x00\x08\x00\x01\x01\x12\x00\x03\x00\x00\x00\x01")
	tiff = append(tiff, byte(o>>8), byte(o), 0, 0, 0, 0, 0, 0)
	var chunk bytes.Buffer
	_ = binary.Write(&chunk, binary.BigEndian, uint32(len(tiff)))
	chunk.WriteString("eXIf")
	chunk.Write(tiff)
	_ = binary.Write(&chunk, binary.BigEndian, crc32.ChecksumIEEE(append([]byte("eXIf"), tiff...)))
	const afterIHDR = 8 + 25
	return append(append(bytes.Clone(pngData[:afterIHDR]), chunk.Bytes()...), pngData[afterIHDR:]...)
}

// Every EXIF orientation stored in a PNG comes out upright, as the
// reference transforms of the imaging package turn it.
func TestOrientationFromPNGeXIf(t *testing.T) {
	src := image.NewNRGBA(image.Rect(0, 0, 5, 3))
	pattern(src)
	data := encode(t, src)
	ref := map[int]*image.NRGBA{1: imaging.Clone(src), 2: imaging.FlipH(src), 3: imaging.Rotate180(src),
		4: imaging.FlipV(src), 5: imaging.Transpose(src), 6: imaging.Rotate270(src), 7: imaging.Transverse(src),
		8: imaging.Rotate90(src)}
	for o := 1; o <= 8; o++ {
		turned := withEXIF(data, uint16(o))
		if got := Orientation(turned); got != o {
			t.Errorf("Orientation = %d, want %d", got, o)
		}
		img, info, err := Decode(turned, 0)
		if err != nil {
			t.Fatal(err)
		}
		insp, _ := Inspect(turned, 0)
		if insp.Width != info.Width || insp.Height != info.Height {
			t.Errorf("orientation %d: Inspect says %d×%d, Decode %d×%d", o, insp.Width, insp.Height, info.Width, info.Height)
		}
		if d := maxDiff(t, asNRGBA(img), ref[o]); d != 0 {
			t.Errorf("orientation %d: differs by %d", o, d)
		}
	}
}

// goErrorText is what Go's decoders say, never to be shown to people.
var goErrorText = []string{"image:", "png:", "jpeg:", "invalid format", "unexpected EOF", "bmp:", "tiff:", "webp:", "riff:", "gif:", "zlib", "flate"}

// Refusals are in plain words, with the cause kept for the log.
func TestRefusalsArePlain(t *testing.T) {
	good := encode(t, image.NewNRGBA(image.Rect(0, 0, 30, 20)))
	badCRC := bytes.Clone(good)
	badCRC[len(badCRC)-20] ^= 0xFF
	cases := map[string][]byte{
		"text": []byte("hello"), "truncated png": good[:len(good)/2], "bad crc": badCRC,
		"soi only": {0xFF, 0xD8}, "truncated jpeg": {0xFF, 0xD8, 0xFF, 0xDB, 0, 3, 0},
		"riff": []byte("RIFF\x10\x00\x00\x00WEBPVP8 \x04\x00\x00\x00abcd"), "gif": []byte("GIF89a\x01"),
	}
	if data, err := os.ReadFile(filepath.Join("testdata", "palette4.tiff")); err == nil {
		cases["4-bit palette tiff"] = data // a TIFF kind x/image/tiff does not read
	}
	for name, data := range cases {
		_, _, err := Decode(data, 0)
		if err == nil {
			t.Fatalf("%s: accepted", name)
		}
		if !errors.Is(err, ErrNotImage) {
			t.Errorf("%s: %v is not ErrNotImage", name, err)
		}
		if name == "4-bit palette tiff" && !strings.Contains(err.Error(), "not supported") {
			t.Errorf("%s: %q does not say the kind is not supported", name, err)
		}
		for _, s := range goErrorText {
			if strings.Contains(strings.ToLower(err.Error()), s) {
				t.Errorf("%s: %q shows %q", name, err, s)
			}
		}
	}
}
