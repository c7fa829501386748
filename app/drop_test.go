package app

import (
	"testing"

	"fyne.io/fyne/v2"
	"github.com/zeninpaint/studio/client"
)

func TestRouteDrop(t *testing.T) {
	areas := []dropArea{
		{Name: "canvas", Pos: fyne.NewPos(300, 0), Size: fyne.NewSize(700, 800), Visible: true},
		{Name: "subject", Pos: fyne.NewPos(0, 100), Size: fyne.NewSize(280, 90), Visible: true},
		{Name: "background", Pos: fyne.NewPos(0, 200), Size: fyne.NewSize(280, 90), Visible: true},
		{Name: fieldDepth, Pos: fyne.NewPos(0, 100), Size: fyne.NewSize(280, 90), Visible: false},
		{Name: "overlapping", Pos: fyne.NewPos(900, 700), Size: fyne.NewSize(50, 50), Visible: true},
	}
	cases := []struct {
		pos  fyne.Position
		want client.Role
	}{
		{fyne.NewPos(500, 400), "canvas"},
		{fyne.NewPos(10, 150), "subject"}, // the hidden depth slot at the same place is ignored
		{fyne.NewPos(279, 289), "background"},
		{fyne.NewPos(280, 250), ""}, // the right edge is outside
		{fyne.NewPos(920, 720), "overlapping"},
		{fyne.NewPos(-5, -5), ""},
	}
	for _, tc := range cases {
		if got := routeDrop(tc.pos, areas); got != tc.want {
			t.Errorf("routeDrop(%v) = %q, want %q", tc.pos, got, tc.want)
		}
	}
}
