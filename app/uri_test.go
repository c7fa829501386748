package app

import "testing"

func TestFilePathOnEachOS(t *testing.T) {
	cases := []struct {
		goos, uri, want string
		fails           bool
	}{
		{"linux", "file:///home/ana/Pictures/room.png", "/home/ana/Pictures/room.png", false},
		{"linux", "file:///home/ana/My%20Pictures/sc%C3%A8ne%20du%20soir.png", "/home/ana/My Pictures/scène du soir.png", false},
		{"linux", "file://localhost/tmp/a.png", "/tmp/a.png", false},
		{"linux", "file://nas/share/a.png", "", true},
		{"darwin", "file:///Users/ana/Desktop/%E5%86%99%E7%9C%9F.jpg", "/Users/ana/Desktop/写真.jpg", false},
		{"darwin", "file:///Volumes/Work%20Disk/cut-out.png", "/Volumes/Work Disk/cut-out.png", false},
		{"windows", "file:///C:/Users/Ana/Pictures/room.png", "C:/Users/Ana/Pictures/room.png", false},
		{"windows", "file://C:/Users/Ana/My%20Pictures/caf%C3%A9.png", "C:/Users/Ana/My Pictures/café.png", false},
		{"windows", "file:///d:/photos/a.jpg", "d:/photos/a.jpg", false},
		{"windows", "file://fileserver/studio/shots/a.png", "//fileserver/studio/shots/a.png", false},
		{"windows", "https://example.com/a.png", "", true},
	}
	for _, tc := range cases {
		got, err := filePath(tc.uri, tc.goos)
		if (err != nil) != tc.fails || got != tc.want {
			t.Errorf("%s %s = %q, %v; want %q (fails=%v)", tc.goos, tc.uri, got, err, tc.want, tc.fails)
		}
	}
}
