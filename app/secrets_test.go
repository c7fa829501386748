package app

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/zeninpaint/studio/app/jobs"
	"github.com/zeninpaint/studio/client"
	"github.com/zeninpaint/studio/client/clienttest"
)

// echoingServer answers like the hosted service but puts the key it was
// sent, in upper and lower case, into every answer: JSON fields, error
// texts, a signed-looking link and the returned picture's metadata. The
// prompt says how a job ends: "ok", "fail" (async: the server fails it) or
// "refuse" (400).
func echoingServer(t *testing.T) *httptest.Server {
	t.Helper()
	var tickets atomic.Int32
	prompts := map[string]string{}
	var mu = make(chan struct{}, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := r.Header.Get("x-api-key")
		echo := strings.ToUpper(key) + " / " + strings.ToLower(key)
		picture, _ := jobs.WithPNGText(clienttest.PNG(clienttest.Photo(40, 30)), []string{"Comment"}, map[string]string{"Comment": "for " + echo})
		image := base64.StdEncoding.EncodeToString(picture)
		body, _ := io.ReadAll(r.Body)
		var req map[string]any
		_ = json.Unmarshal(body, &req)
		prompt, _ := req["prompt"].(string)
		switch r.URL.Path {
		case "/ping":
			fmt.Fprintf(w, `{"ok":true,"key":%q}`, echo)
		case "/run":
			id := fmt.Sprintf("t-%d", tickets.Add(1))
			mu <- struct{}{}
			prompts[id] = prompt
			<-mu
			fmt.Fprintf(w, `{"ticket_id":%q,"status":"queued","echo":%q}`, id, echo)
		case "/predict":
			ticket, _ := req["ticket_id"].(string)
			mu <- struct{}{}
			p := prompts[ticket]
			<-mu
			if p == "fail" {
				fmt.Fprintf(w, `{"status":"failed","error":"refused for %s, see https://logs.example/x?token=%s"}`, echo, key)
				return
			}
			fmt.Fprintf(w, `{"status":"completed","image":%q,"echo":%q}`, image, echo)
		default:
			if prompt == "refuse" {
				w.WriteHeader(http.StatusBadRequest)
				fmt.Fprintf(w, `{"error":"the key %s may not do this"}`, echo)
				return
			}
			fmt.Fprintf(w, `{"image":%q,"echo":%q}`, image, echo)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestEchoedKeyReachesNoSink: a whole session against a server that
// echoes the key everywhere. Afterwards the key, in any case, is in no
// error, text on screen (dialogs included), -v log line, queue file,
// stored image or saved result.
func TestEchoedKeyReachesNoSink(t *testing.T) {
	const key = "sk-SECRET-echo-5c1d"
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	srv := echoingServer(t)
	ts := newLoggedTestStudio(t, srv.URL, logger)
	ts.setCredentials(Credentials{APIKey: key, Email: "me@example.com"})
	ts.setMode(client.ModeBackground)
	ts.load("canvas", ts.file("vase.png", clienttest.PNG(cutout)))
	n := 0
	for _, run := range []struct{ prompt, sync string }{
		{"ok", syncWait}, {"refuse", syncWait},
		{"ok", syncQueue}, {"fail", syncQueue},
	} {
		ts.request.syncMode.SetSelected(run.sync)
		ts.request.prompt.SetText(run.prompt)
		test.Tap(ts.request.generate)
		n++
		ts.waitJobs(n)
	}
	var sinks []string
	for _, j := range ts.conn.manager.Jobs() {
		sinks = append(sinks, "job error: "+j.Error, "status: "+statusText(j))
		if j.Status == jobs.Done {
			ts.showDetails(j) // a dialog with every message
		}
	}
	statuses := map[jobs.Status]int{}
	for _, j := range ts.conn.manager.Jobs() {
		statuses[j.Status]++
	}
	if statuses[jobs.Done] != 2 || statuses[jobs.Failed] != 2 {
		t.Fatalf("the session did not go as planned: %v", statuses)
	}
	ts.queue.list.Refresh()
	sinks = append(sinks, visibleTexts(ts.win.Canvas().Content())...)
	for _, o := range ts.win.Canvas().Overlays().List() {
		sinks = append(sinks, visibleTexts(o)...)
	}
	sinks = append(sinks, "log: "+logs.String())
	files := 0
	for _, root := range []string{ts.cfg.DataDir, ts.out} {
		_ = filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				data, _ := os.ReadFile(path)
				sinks = append(sinks, path+": "+string(data))
				files++
			}
			return nil
		})
	}
	if files < 4 || !strings.Contains(logs.String(), "request") {
		t.Fatalf("too little was looked at: %d files, log %q", files, logs.String())
	}
	for _, s := range sinks {
		low := strings.ToLower(s)
		if strings.Contains(low, strings.ToLower(key)) || strings.Contains(low, "token=") {
			t.Errorf("the key or a signed query reached a sink: %.300q", s)
		}
	}
}
