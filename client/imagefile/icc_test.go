package imagefile_test

import (
	"bytes"
	"testing"

	"github.com/zeninpaint/studio/client/clienttest"
	"github.com/zeninpaint/studio/client/imagefile"
)

// A profile put into PNG or JPEG bytes reads back whole, survives being
// put in twice (replaced, not doubled), and leaves the pixels alone.
func TestWithICCRoundTrip(t *testing.T) {
	p3 := clienttest.P3Profile()
	big := bytes.Repeat(p3, 700) // over one JPEG segment
	photo := clienttest.Photo(30, 20)
	for _, tc := range []struct {
		name    string
		data    []byte
		profile []byte
	}{
		{"png", clienttest.PNG(photo), p3},
		{"jpeg", clienttest.JPEG(photo), p3},
		{"jpeg, profile over 64 KB", clienttest.JPEG(photo), big},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if imagefile.ICC(tc.data) != nil {
				t.Fatal("Go's encoder wrote a profile")
			}
			once := imagefile.WithICC(tc.data, tc.profile)
			twice := imagefile.WithICC(once, tc.profile)
			if got := imagefile.ICC(twice); !bytes.Equal(got, tc.profile) {
				t.Fatalf("profile read back: %d bytes, want %d", len(got), len(tc.profile))
			}
			if len(twice) != len(once) {
				t.Errorf("putting the profile in twice grew the file: %d → %d", len(once), len(twice))
			}
			a, _, err := imagefile.Decode(tc.data, 0)
			if err != nil {
				t.Fatal(err)
			}
			b, _, err := imagefile.Decode(twice, 0)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(imagefile.ToNRGBA(a).Pix, imagefile.ToNRGBA(b).Pix) {
				t.Error("the pixels changed")
			}
		})
	}
}
