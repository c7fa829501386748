package app

import (
	"testing"

	"github.com/zeninpaint/studio/app/jobs"
	"github.com/zeninpaint/studio/client"
)

func TestModeLabel(t *testing.T) {
	cases := []struct {
		mode  client.Mode
		local bool
		want  string
	}{
		{client.ModeScene, true, "Scene from depth/preview · preview render"},
		{client.ModeScene, false, "Scene from depth/preview"},
		{client.ModeInpaint, true, "Inpaint"},
		{client.ModeBackground, true, "New background"},
	}
	for _, tc := range cases {
		j := jobs.Job{Mode: tc.mode, Server: jobs.Server{Local: tc.local}}
		if got := modeLabel(j); got != tc.want {
			t.Errorf("modeLabel(%s, local %v) = %q, want %q", tc.mode, tc.local, got, tc.want)
		}
	}
}
