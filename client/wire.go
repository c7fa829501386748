package client

// This file is the one place that knows the wire format of the Zen-Inpaint
// API (see shared/api/ZEN-INPAINT-API.md, Part B): header names, request
// field names, endpoint paths, and the aliases accepted in responses. A
// correction to the real service's format is a change to this file alone.

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// Endpoint paths and headers.
const (
	pathRun     = "/run"
	pathPredict = "/predict"
	pathPing    = "/ping"

	headerAPIKey = "x-api-key"
	headerEmail  = "x-email"
)

// Request field names.
const (
	fieldMode           = "gen_mode"
	fieldPrompt         = "prompt"
	fieldNegativePrompt = "negative_prompt"
	fieldSeed           = "seed"
	fieldSubject        = "subject"
	fieldMask           = "mask"
	fieldBackground     = "background"
	fieldDepthMap       = "depth_map"
	fieldPreview        = "preview"
	fieldTicket         = "ticket_id"
)

// Aliases accepted in responses, in order of preference.
var (
	imageKeys      = []string{"image", "output", "result", "image_base64"}
	imageListKeys  = []string{"images", "output"}
	ticketKeys     = []string{"ticket_id", "ticket", "id", "job_id"}
	statusKeys     = []string{"status", "state"}
	errorKeys      = []string{"error", "detail", "message"}
	progressKeys   = []string{"progress"}
	doneStatuses   = []string{"completed", "succeeded", "success", "done", "finished"}
	failedStatuses = []string{"failed", "error", "cancelled", "canceled"}
)

// WireField is one request field: a name and either a JSON scalar or the
// bytes of an image, which travel as standard base64.
type wireField struct {
	name  string
	role  Role   // for an image
	value any    // scalar: string or int64; nil when image is set
	image []byte // raw image bytes, base64-encoded while streaming
}

// requestFields lists the body's fields for r, in a stable order.
func requestFields(r *Request) []wireField {
	fields := []wireField{
		{name: fieldMode, value: string(r.Mode)},
		{name: fieldPrompt, value: r.Prompt},
	}
	if r.NegativePrompt != "" {
		fields = append(fields, wireField{name: fieldNegativePrompt, value: r.NegativePrompt})
	}
	fields = append(fields, wireField{name: fieldSeed, value: r.Seed})
	for _, role := range Roles {
		if data := *r.Image(role); len(data) > 0 {
			fields = append(fields, wireField{name: role.Wire(), image: data, role: role})
		}
	}
	return fields
}

// Wire is the role's field name in a request, or "" for a name that is
// not a role.
func (r Role) Wire() string {
	switch r {
	case RoleSubject:
		return fieldSubject
	case RoleMask:
		return fieldMask
	case RoleBackground:
		return fieldBackground
	case RoleDepth:
		return fieldDepthMap
	case RolePreview:
		return fieldPreview
	}
	return ""
}

// RoleOfWire is the role whose field name on the wire is name, or "".
func RoleOfWire(name string) Role {
	for _, r := range Roles {
		if r.Wire() == name {
			return r
		}
	}
	return ""
}

// ticketBody is the JSON body of a /predict call.
func ticketBody(ticket string) []byte {
	b, _ := json.Marshal(map[string]string{fieldTicket: ticket})
	return b
}

// parsedResponse is what a response body says, whichever aliases it used.
type parsedResponse struct {
	Image    []byte  // decoded image bytes, when the body held base64
	ImageURL string  // an http(s) URL to download, when the body held one
	Ticket   string  // the ticket of a /run answer
	Status   string  // lower-cased status word of a /predict answer
	Error    string  // the server's error text
	Progress float64 // 0..1, or -1 when absent
}

// State is the meaning of a status word.
type State int

// Job states.
const (
	StateRunning State = iota // queued, processing or an unknown word
	StateDone
	StateFailed
)

// state classifies the parsed status word.
func (p parsedResponse) state() State {
	for _, s := range doneStatuses {
		if p.Status == s {
			return StateDone
		}
	}
	for _, s := range failedStatuses {
		if p.Status == s {
			return StateFailed
		}
	}
	return StateRunning
}

var errNoJSON = errors.New("the response is not JSON")

// parseResponse reads a JSON response body liberally: any of the aliases
// above, base64 with or without a data-URL prefix, or a URL to download.
// It never panics, whatever the input.
func parseResponse(body []byte) (parsedResponse, error) {
	out := parsedResponse{Progress: -1}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(body, &obj); err != nil {
		return out, fmt.Errorf("%w: %v", errNoJSON, err)
	}
	out.Error = firstText(obj, errorKeys)
	out.Ticket = firstText(obj, ticketKeys)
	for _, k := range statusKeys {
		if s, ok := jsonString(obj[k]); ok {
			out.Status = strings.ToLower(strings.TrimSpace(s))
			break
		}
	}
	for _, k := range progressKeys {
		if f, ok := jsonNumber(obj[k]); ok {
			if f > 1 && f <= 100 { // a percentage
				f /= 100
			}
			out.Progress = min(max(f, 0), 1)
			break
		}
	}
	var value string
	for _, k := range imageKeys {
		if s, ok := jsonString(obj[k]); ok && s != "" {
			value = s
			break
		}
	}
	if value == "" {
		for _, k := range imageListKeys {
			var list []json.RawMessage
			if json.Unmarshal(obj[k], &list) == nil && len(list) > 0 {
				if s, ok := jsonString(list[0]); ok && s != "" {
					value = s
					break
				}
			}
		}
	}
	if value != "" {
		if err := out.setImage(value); err != nil {
			return out, err
		}
	}
	return out, nil
}

// setImage takes an image value: a URL, a data URL or bare base64.
func (p *parsedResponse) setImage(value string) error {
	value = strings.TrimSpace(value)
	lower := strings.ToLower(value[:min(len(value), 8)])
	if strings.HasPrefix(lower, "http://") || strings.HasPrefix(lower, "https://") {
		p.ImageURL = value
		return nil
	}
	if strings.HasPrefix(lower, "data:") {
		comma := strings.IndexByte(value, ',')
		if comma < 0 {
			return errors.New("the image is a data URL without data")
		}
		value = value[comma+1:]
	}
	data, err := decodeBase64(value)
	if err != nil {
		return fmt.Errorf("the image is not valid base64: %w", err)
	}
	p.Image = data
	return nil
}

// decodeBase64 accepts standard or URL-safe base64, padded or not, with
// line breaks.
func decodeBase64(s string) ([]byte, error) {
	if strings.ContainsAny(s, "\r\n ") {
		s = strings.NewReplacer("\r", "", "\n", "", " ", "").Replace(s)
	}
	if strings.ContainsAny(s, "-_") {
		return base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
	}
	return base64.RawStdEncoding.DecodeString(strings.TrimRight(s, "="))
}

// firstText is the first non-empty text among keys, in order.
func firstText(obj map[string]json.RawMessage, keys []string) string {
	for _, k := range keys {
		if s, ok := jsonText(obj[k]); ok && s != "" {
			return s
		}
	}
	return ""
}

func jsonString(raw json.RawMessage) (string, bool) {
	if len(raw) == 0 || raw[0] != '"' {
		return "", false
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return "", false
	}
	return s, true
}

// jsonText reads a string or a number as text; an object or list is
// rendered compactly (some servers send {"detail": [{...}]}).
func jsonText(raw json.RawMessage) (string, bool) {
	if s, ok := jsonString(raw); ok {
		return s, true
	}
	if f, ok := jsonNumber(raw); ok {
		return strconv.FormatFloat(f, 'f', -1, 64), true
	}
	if len(raw) > 0 && (raw[0] == '{' || raw[0] == '[') {
		var buf bytes.Buffer
		if json.Compact(&buf, raw) == nil {
			return buf.String(), true
		}
	}
	return "", false
}

func jsonNumber(raw json.RawMessage) (float64, bool) {
	if len(raw) == 0 {
		return 0, false
	}
	var f float64
	if json.Unmarshal(raw, &f) == nil {
		return f, true
	}
	if s, ok := jsonString(raw); ok {
		f, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(s), "%"), 64)
		if err == nil && !math.IsNaN(f) && !math.IsInf(f, 0) { // "NaN" and "Inf" are no numbers
			if strings.HasSuffix(strings.TrimSpace(s), "%") {
				f /= 100
			}
			return f, true
		}
	}
	return 0, false
}

// writeScalar writes a JSON scalar value.
func writeScalar(w io.Writer, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// The server side of the same format, used by the local engine so that it
// speaks exactly what the client sends and reads.

// Status words a server writes to /predict answers.
const (
	StatusQueued     = "queued"
	StatusProcessing = "processing"
	StatusCompleted  = "completed"
	StatusFailed     = "failed"
)

// Response field names a server writes.
const (
	respImage    = "image"
	respTicket   = "ticket_id"
	respStatus   = "status"
	respError    = "error"
	respProgress = "progress"
)

// AuthHeaders names the two authentication headers, for a server to check.
func AuthHeaders() (apiKey, email string) { return headerAPIKey, headerEmail }

// Paths names the async and health endpoints, for a server to route.
func Paths() (run, predict, ping string) { return pathRun, pathPredict, pathPing }

// DecodeRequest reads a request body as a server does. It checks the JSON
// shape and the base64 of each image, not the images themselves (see
// Request.Validate).
func DecodeRequest(r io.Reader) (*Request, error) {
	var obj map[string]json.RawMessage
	if err := json.NewDecoder(r).Decode(&obj); err != nil {
		return nil, fmt.Errorf("the body is not a JSON object: %w", err)
	}
	req := &Request{}
	mode, _ := jsonString(obj[fieldMode])
	req.Mode = Mode(mode)
	req.Prompt, _ = jsonString(obj[fieldPrompt])
	req.NegativePrompt, _ = jsonString(obj[fieldNegativePrompt])
	if raw := obj[fieldSeed]; len(raw) > 0 {
		if err := json.Unmarshal(raw, &req.Seed); err != nil {
			return nil, fmt.Errorf("%s must be a whole number", fieldSeed)
		}
	}
	for name, dst := range map[string]*[]byte{
		fieldSubject: &req.Subject, fieldMask: &req.Mask, fieldBackground: &req.Background,
		fieldDepthMap: &req.DepthMap, fieldPreview: &req.Preview,
	} {
		raw := obj[name]
		if len(raw) == 0 || string(raw) == "null" {
			continue
		}
		s, ok := jsonString(raw)
		if !ok {
			return nil, fmt.Errorf("%s must be a base64 string", name)
		}
		var p parsedResponse
		if err := p.setImage(s); err != nil || p.ImageURL != "" {
			return nil, fmt.Errorf("%s is not base64 image data", name)
		}
		*dst = p.Image
	}
	return req, nil
}

// DecodeTicket reads the ticket of a /predict body.
func DecodeTicket(r io.Reader) (string, error) {
	var obj map[string]json.RawMessage
	if err := json.NewDecoder(r).Decode(&obj); err != nil {
		return "", fmt.Errorf("the body is not a JSON object: %w", err)
	}
	if t := firstText(obj, ticketKeys); t != "" {
		return t, nil
	}
	return "", fmt.Errorf("the body has no %s", fieldTicket)
}

// ImageResponse is the body of a finished sync call.
func ImageResponse(image []byte) []byte {
	b, _ := json.Marshal(map[string]string{respImage: base64.StdEncoding.EncodeToString(image)})
	return b
}

// TicketResponse is the body of a /run answer.
func TicketResponse(ticket string) []byte {
	b, _ := json.Marshal(map[string]string{respTicket: ticket})
	return b
}

// StatusResponse is the body of a /predict answer: image only when
// completed, message only when failed, progress in 0..1.
func StatusResponse(status string, progress float64, image []byte, message string) []byte {
	m := map[string]any{respStatus: status, respProgress: progress}
	if len(image) > 0 {
		m[respImage] = base64.StdEncoding.EncodeToString(image)
	}
	if message != "" {
		m[respError] = message
	}
	b, _ := json.Marshal(m)
	return b
}

// ErrorResponse is the body of an error answer.
func ErrorResponse(message string) []byte {
	b, _ := json.Marshal(map[string]string{respError: message})
	return b
}
