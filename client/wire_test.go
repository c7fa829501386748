package client

import (
	"bytes"
	"encoding/base64"
	"io"
	"strings"
	"testing"
)

var tiny = []byte("\x89PNG fake bytes for base64")

func TestParseResponseAliases(t *testing.T) {
	b64 := base64.StdEncoding.EncodeToString(tiny)
	url64 := base64.RawURLEncoding.EncodeToString(tiny)
	cases := []struct {
		name       string
		body       string
		wantImage  bool
		wantURL    string
		wantTicket string
		wantStatus string
		wantState  State
		wantError  string
		wantProg   float64
	}{
		{name: "image", body: `{"image":"` + b64 + `"}`, wantImage: true, wantProg: -1},
		{name: "output", body: `{"output":"` + b64 + `"}`, wantImage: true, wantProg: -1},
		{name: "result", body: `{"result":"` + b64 + `"}`, wantImage: true, wantProg: -1},
		{name: "image_base64", body: `{"image_base64":"` + b64 + `"}`, wantImage: true, wantProg: -1},
		{name: "images list", body: `{"images":["` + b64 + `","x"]}`, wantImage: true, wantProg: -1},
		{name: "output list", body: `{"output":["` + b64 + `"]}`, wantImage: true, wantProg: -1},
		{name: "data URL", body: `{"image":"data:image/png;base64,` + b64 + `"}`, wantImage: true, wantProg: -1},
		{name: "url-safe unpadded", body: `{"image":"` + url64 + `"}`, wantImage: true, wantProg: -1},
		{name: "line breaks", body: `{"image":"` + b64[:8] + `\n` + b64[8:] + `"}`, wantImage: true, wantProg: -1},
		{name: "https URL", body: `{"output":"https://cdn.example/x.png?sig=1"}`, wantURL: "https://cdn.example/x.png?sig=1", wantProg: -1},
		{name: "ticket_id", body: `{"ticket_id":"abc"}`, wantTicket: "abc", wantProg: -1},
		{name: "ticket", body: `{"ticket":"abc"}`, wantTicket: "abc", wantProg: -1},
		{name: "id", body: `{"id":"abc"}`, wantTicket: "abc", wantProg: -1},
		{name: "job_id number", body: `{"job_id":12345}`, wantTicket: "12345", wantProg: -1},
		{name: "status completed", body: `{"status":"COMPLETED","image":"` + b64 + `"}`, wantImage: true, wantStatus: "completed", wantState: StateDone, wantProg: -1},
		{name: "state succeeded", body: `{"state":"Succeeded"}`, wantStatus: "succeeded", wantState: StateDone, wantProg: -1},
		{name: "success", body: `{"status":"success"}`, wantStatus: "success", wantState: StateDone, wantProg: -1},
		{name: "done", body: `{"status":"done"}`, wantStatus: "done", wantState: StateDone, wantProg: -1},
		{name: "finished", body: `{"status":"finished"}`, wantStatus: "finished", wantState: StateDone, wantProg: -1},
		{name: "failed with error", body: `{"status":"failed","error":"GPU fell over"}`, wantStatus: "failed", wantState: StateFailed, wantError: "GPU fell over", wantProg: -1},
		{name: "error word", body: `{"status":"error","detail":"bad"}`, wantStatus: "error", wantState: StateFailed, wantError: "bad", wantProg: -1},
		{name: "cancelled", body: `{"status":"cancelled"}`, wantStatus: "cancelled", wantState: StateFailed, wantProg: -1},
		{name: "canceled", body: `{"status":"canceled"}`, wantStatus: "canceled", wantState: StateFailed, wantProg: -1},
		{name: "unknown word runs", body: `{"status":"warming_up"}`, wantStatus: "warming_up", wantState: StateRunning, wantProg: -1},
		{name: "progress fraction", body: `{"status":"processing","progress":0.25}`, wantStatus: "processing", wantProg: 0.25},
		{name: "progress percent", body: `{"status":"processing","progress":40}`, wantStatus: "processing", wantProg: 0.4},
		{name: "progress string", body: `{"status":"processing","progress":"75%"}`, wantStatus: "processing", wantProg: 0.75},
		{name: "detail list", body: `{"detail":[{"msg":"field required"}]}`, wantError: `[{"msg":"field required"}]`, wantProg: -1},
		{name: "message", body: `{"message":"slow down"}`, wantError: "slow down", wantProg: -1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, err := parseResponse([]byte(tc.body))
			if err != nil {
				t.Fatalf("parseResponse: %v", err)
			}
			if got := bytes.Equal(p.Image, tiny); got != tc.wantImage {
				t.Errorf("image decoded = %v, want %v (got %q)", got, tc.wantImage, p.Image)
			}
			if p.ImageURL != tc.wantURL {
				t.Errorf("ImageURL = %q, want %q", p.ImageURL, tc.wantURL)
			}
			if p.Ticket != tc.wantTicket {
				t.Errorf("Ticket = %q, want %q", p.Ticket, tc.wantTicket)
			}
			if p.Status != tc.wantStatus {
				t.Errorf("Status = %q, want %q", p.Status, tc.wantStatus)
			}
			if p.state() != tc.wantState {
				t.Errorf("state = %v, want %v", p.state(), tc.wantState)
			}
			if p.Error != tc.wantError {
				t.Errorf("Error = %q, want %q", p.Error, tc.wantError)
			}
			if p.Progress != tc.wantProg {
				t.Errorf("Progress = %v, want %v", p.Progress, tc.wantProg)
			}
		})
	}
}

func TestParseResponseRejects(t *testing.T) {
	for _, body := range []string{``, `not json`, `[1,2]`, `{"image":"***not base64***"}`, `{"image":"data:image/png;base64"}`} {
		if _, err := parseResponse([]byte(body)); err == nil {
			t.Errorf("parseResponse(%q) = nil error, want one", body)
		}
	}
}

func FuzzParseResponse(f *testing.F) {
	for _, s := range []string{`{"image":"QUJD"}`, `{"images":["data:image/png;base64,QUJD"]}`, `{"status":"done","progress":"5%"}`,
		`{"ticket_id":1e400}`, `{"output":["https://x"]}`, `{"detail":{"a":[1]}}`, `{"image":"data:,"}`, `{"image":"   "}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		p, err := parseResponse(body)
		if err == nil && (p.Progress < -1 || p.Progress > 1) {
			t.Fatalf("progress %v out of range", p.Progress)
		}
		_ = p.state()
	})
}

// The body the client streams is exactly what a server decodes.
func TestRequestBodyRoundTrip(t *testing.T) {
	big := bytes.Repeat([]byte{1, 2, 3, 4, 5, 6, 7}, 100_003) // not a multiple of the step
	req := &Request{Mode: ModeInpaint, Prompt: "a \"quoted\" prompt\nwith ünïcode", NegativePrompt: "blur", Seed: -42,
		Subject: tiny, Mask: big, Background: big[:len(big)-1]}
	body, err := newRequestBody(requestFields(req))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := io.ReadAll(body.reader())
	if err != nil {
		t.Fatal(err)
	}
	if int64(len(raw)) != body.size {
		t.Fatalf("declared size %d, streamed %d", body.size, len(raw))
	}
	got, err := DecodeRequest(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("DecodeRequest: %v", err)
	}
	if got.Mode != req.Mode || got.Prompt != req.Prompt || got.NegativePrompt != req.NegativePrompt || got.Seed != req.Seed {
		t.Errorf("scalars differ: %+v", got)
	}
	for name, pair := range map[string][2][]byte{"subject": {got.Subject, req.Subject}, "mask": {got.Mask, req.Mask}, "background": {got.Background, req.Background}} {
		if !bytes.Equal(pair[0], pair[1]) {
			t.Errorf("%s differs after the round trip", name)
		}
	}
	if got.DepthMap != nil || got.Preview != nil {
		t.Error("absent images came back")
	}
	if !strings.Contains(string(raw), `"gen_mode":"inpaint"`) {
		t.Errorf("body lacks the mode field: %.80s", raw)
	}
}

func TestDecodeRequestRejects(t *testing.T) {
	for _, body := range []string{`nope`, `{"seed":"x"}`, `{"subject":5}`, `{"mask":"@@@"}`, `{"subject":"https://evil/x.png"}`} {
		if _, err := DecodeRequest(strings.NewReader(body)); err == nil {
			t.Errorf("DecodeRequest(%q) = nil error", body)
		}
	}
}

func TestDecodeTicket(t *testing.T) {
	for body, want := range map[string]string{`{"ticket_id":"t1"}`: "t1", `{"id":7}`: "7"} {
		got, err := DecodeTicket(strings.NewReader(body))
		if err != nil || got != want {
			t.Errorf("DecodeTicket(%s) = %q, %v; want %q", body, got, err, want)
		}
	}
	if _, err := DecodeTicket(strings.NewReader(`{}`)); err == nil {
		t.Error("a body with no ticket was accepted")
	}
}
