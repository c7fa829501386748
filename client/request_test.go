package client

import (
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"strings"
	"testing"

	"github.com/zeninpaint/studio/client/clienttest"
	"github.com/zeninpaint/studio/client/imagefile"
)

// Real image files shared by the tests of this package.
var (
	photoPNG   = clienttest.PNG(clienttest.Photo(64, 48))
	photoJPEG  = clienttest.JPEG(clienttest.Photo(64, 48))
	maskPNG    = clienttest.PNG(clienttest.Mask(64, 48, image.Rect(10, 10, 30, 30)))
	subjectPNG = clienttest.PNG(clienttest.Subject(40, 40))
	depthPNG   = clienttest.PNG(clienttest.Depth(64, 48))
)

func inpaintRequest() *Request {
	return &Request{Mode: ModeInpaint, Prompt: "a chair", Seed: 7, Subject: subjectPNG, Mask: maskPNG, Background: photoPNG}
}

func TestValidate(t *testing.T) {
	bigHeader := pngHeader(20000, 20000) // 400 MP declared; no pixels behind it
	cases := []struct {
		name string
		req  Request
		want string // substring of the error; "" for valid
	}{
		{"inpaint ok", *inpaintRequest(), ""},
		{"inpaint jpeg background", Request{Mode: ModeInpaint, Subject: subjectPNG, Mask: maskPNG, Background: photoJPEG}, ""},
		{"inpaint no mask", Request{Mode: ModeInpaint, Subject: subjectPNG, Background: photoPNG}, "needs a mask"},
		{"inpaint no subject", Request{Mode: ModeInpaint, Mask: maskPNG, Background: photoPNG}, "needs a subject"},
		{"inpaint mask size", Request{Mode: ModeInpaint, Subject: subjectPNG, Mask: subjectPNG, Background: photoPNG}, "the mask is 40×40 but the background is 64×48"},
		{"inpaint extra depth", Request{Mode: ModeInpaint, Subject: subjectPNG, Mask: maskPNG, Background: photoPNG, DepthMap: depthPNG}, "does not take"},
		{"scene depth ok", Request{Mode: ModeScene, DepthMap: depthPNG}, ""},
		{"scene preview ok", Request{Mode: ModeScene, Preview: photoJPEG}, ""},
		{"scene both", Request{Mode: ModeScene, DepthMap: depthPNG, Preview: photoPNG}, "exactly one"},
		{"scene none", Request{Mode: ModeScene}, "exactly one"},
		{"scene with subject", Request{Mode: ModeScene, DepthMap: depthPNG, Subject: subjectPNG}, "only a depth map"},
		{"bg ok", Request{Mode: ModeBackground, Subject: subjectPNG}, ""},
		{"bg opaque png", Request{Mode: ModeBackground, Subject: photoPNG}, "no transparent pixel"},
		{"bg jpeg", Request{Mode: ModeBackground, Subject: photoJPEG}, "not JPEG"},
		{"bg missing", Request{Mode: ModeBackground}, "transparent background"},
		{"bg with mask", Request{Mode: ModeBackground, Subject: subjectPNG, Mask: maskPNG}, "only the subject"},
		{"unknown mode", Request{Mode: "upscale", Subject: subjectPNG}, `unknown mode "upscale"`},
		{"not an image", Request{Mode: ModeScene, DepthMap: []byte("hello")}, "not a supported image"},
		{"bomb", Request{Mode: ModeScene, DepthMap: bigHeader}, "too large"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.req.Validate(0)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("Validate = %v, want nil", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Validate = %v, want an error containing %q", err, tc.want)
			}
			if !errors.Is(err, ErrInvalidRequest) {
				t.Errorf("error %v does not wrap ErrInvalidRequest", err)
			}
		})
	}
}

// pngHeader is a PNG signature and IHDR chunk declaring w×h, with no pixel
// data: what a decompression bomb looks like to a header reader.
func pngHeader(w, h uint32) []byte {
	chunk := []byte("IHDR")
	chunk = binary.BigEndian.AppendUint32(chunk, w)
	chunk = binary.BigEndian.AppendUint32(chunk, h)
	chunk = append(chunk, 8, 2, 0, 0, 0) // 8-bit RGB
	b := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0d"), chunk...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(chunk))
}

func TestEstimateCredits(t *testing.T) {
	cases := []struct {
		w, h int
		want float64
	}{{1024, 768, 0.04}, {2048, 2048, 0.04}, {2049, 100, 0.05}, {100, 6000, 0.05}}
	for _, tc := range cases {
		if got := EstimateCredits(tc.w, tc.h); got != tc.want {
			t.Errorf("EstimateCredits(%d, %d) = %v, want %v", tc.w, tc.h, got, tc.want)
		}
	}
	big := clienttest.PNG(image.NewGray(image.Rect(0, 0, 3000, 10)))
	r := &Request{Mode: ModeScene, DepthMap: big}
	if got, err := r.EstimateCredits(0); err != nil || got != 0.05 {
		t.Errorf("request estimate = %v, %v; want 0.05", got, err)
	}
	if got, err := inpaintRequest().EstimateCredits(0); err != nil || got != 0.04 {
		t.Errorf("request estimate = %v, %v; want 0.04", got, err)
	}
}

func TestInspectRefusesBombBeforeDecoding(t *testing.T) {
	_, err := imagefile.Inspect(pngHeader(100000, 100000), 0)
	if !errors.Is(err, imagefile.ErrTooManyPixels) {
		t.Fatalf("Inspect = %v, want ErrTooManyPixels", err)
	}
}

// TestValidateRefusesWhatTheLoaderRefuses: a JPEG cut short is refused in
// every role of every mode, as the app's loader (a full decode) refuses it.
func TestValidateRefusesWhatTheLoaderRefuses(t *testing.T) {
	photo := clienttest.JPEG(clienttest.Photo(200, 150))
	cut := photo[:len(photo)*2/3]
	if _, _, err := imagefile.Decode(cut, 0); err == nil {
		t.Fatal("the loader opens the cut JPEG: the test proves nothing")
	}
	mask := clienttest.PNG(image.NewGray(image.Rect(0, 0, 200, 150)))
	subject := clienttest.PNG(clienttest.Subject(200, 150))
	cases := []struct {
		role string
		req  Request
	}{
		{"subject", Request{Mode: ModeInpaint, Subject: cut, Mask: mask, Background: photo}},
		{"mask", Request{Mode: ModeInpaint, Subject: subject, Mask: cut, Background: photo}},
		{"background", Request{Mode: ModeInpaint, Subject: subject, Mask: mask, Background: cut}},
		{"depth map", Request{Mode: ModeScene, DepthMap: cut}},
		{"preview", Request{Mode: ModeScene, Preview: cut}},
		{"subject", Request{Mode: ModeBackground, Subject: cut}},
	}
	for _, tc := range cases {
		t.Run(string(tc.req.Mode)+" "+tc.role, func(t *testing.T) {
			_, err := tc.req.Validate(0)
			if !errors.Is(err, ErrInvalidRequest) || !strings.Contains(err.Error(), "the "+tc.role) {
				t.Errorf("Validate: %v, want the %s refused", err, tc.role)
			}
		})
	}
}
