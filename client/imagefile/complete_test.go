package imagefile_test

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/zeninpaint/studio/client/clienttest"
	"github.com/zeninpaint/studio/client/imagefile"
)

// TestCheckCompleteAgreesWithDecode: every JPEG and PNG cut short that
// Decode refuses, CheckComplete refuses too, and whole files pass; among
// them a progressive JPEG and one with restart markers (cjpeg).
func TestCheckCompleteAgreesWithDecode(t *testing.T) {
	photo := clienttest.Photo(160, 120)
	files := map[string][]byte{"baseline.jpg": clienttest.JPEG(photo), "photo.png": clienttest.PNG(photo)}
	var gray bytes.Buffer
	g := image.NewGray(image.Rect(0, 0, 64, 48))
	for i := range g.Pix {
		g.Pix[i] = uint8(i)
	}
	_ = jpeg.Encode(&gray, g, &jpeg.Options{Quality: 90})
	files["gray.jpg"] = gray.Bytes()
	if cjpeg, err := exec.LookPath("cjpeg"); err == nil {
		for name, args := range map[string][]string{"progressive.jpg": {"-progressive"}, "restarts.jpg": {"-restart", "1"}} {
			out := filepath.Join(t.TempDir(), name)
			cmd := exec.Command(cjpeg, append(args, "-outfile", out)...)
			var ppm bytes.Buffer
			ppm.WriteString("P6\n160 120\n255\n")
			for y := range 120 {
				for x := range 160 {
					c := color.NRGBAModel.Convert(photo.At(x, y)).(color.NRGBA)
					ppm.Write([]byte{c.R, c.G, c.B})
				}
			}
			cmd.Stdin = &ppm
			if msg, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("cjpeg: %v %s", err, msg)
			}
			files[name] = readFileT(t, out)
		}
	}
	for name, data := range files {
		info, err := imagefile.Inspect(data, 0)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := imagefile.CheckComplete(data, info); err != nil {
			t.Errorf("%s whole: %v", name, err)
		}
		for _, cut := range []int{len(data) - 1, len(data) - 2, len(data) * 3 / 4, len(data) / 2, 300} {
			part := data[:cut]
			_, _, decodeErr := imagefile.Decode(part, 0)
			info, err := imagefile.Inspect(part, 0)
			if err == nil {
				err = imagefile.CheckComplete(part, info)
			}
			if decodeErr != nil && err == nil {
				t.Errorf("%s cut to %d of %d bytes: Decode refuses it (%v), CheckComplete does not", name, cut, len(data), decodeErr)
			}
		}
	}
}

func readFileT(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}
