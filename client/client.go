// Package client is the Zen-Inpaint API client that every call of the app
// goes through: sync generation, async submit and polling, warm-up pings,
// a cap on requests in flight, retries where they are safe, typed errors and
// credit estimates. It knows nothing of the user interface.
//
// A submission costs credits, so it is retried only when the server surely
// did not take it (see docs/RELIABILITY.md for the table); an ambiguous
// failure after the body was sent returns ErrOutcomeUnknown. No request is
// ever redirected with its body, and credentials reach only the servers'
// own hosts.
package client

import (
	"context"
	"errors"
	"fmt"
	"image"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/zeninpaint/studio/client/imagefile"
)

// Client talks to one Zen-Inpaint server pair (sync and async). It is safe
// for concurrent use.
type Client struct {
	cfg Config
	// slots caps the requests in flight, keeping room for the polls of
	// accepted jobs.
	slots       *slots
	retry       retryPolicy
	timeout     time.Duration // per attempt of a poll, ping or download
	maxResponse int64         // the largest answer read
}

// pollReserve is how many of the slots submissions leave to polls while a
// job the server took is being waited for.
const pollReserve = 2

// retryPolicy is exponential backoff with jitter.
type retryPolicy struct {
	attempts int
	base     time.Duration
	max      time.Duration
}

// New checks cfg and returns a client.
func New(cfg Config) (*Client, error) {
	cfg = cfg.withDefaults()
	for _, u := range []string{cfg.SyncURL, cfg.AsyncURL} {
		if err := CheckURL(u); err != nil {
			return nil, err
		}
	}
	// Our own copy of the http.Client, with the redirect policy that keeps
	// credentials and paid bodies where they belong.
	hc := *cfg.HTTPClient
	hc.CheckRedirect = checkRedirect
	cfg.HTTPClient = &hc
	return &Client{
		cfg:         cfg,
		slots:       newSlots(cfg.MaxConcurrent),
		retry:       retryPolicy{attempts: 5, base: 500 * time.Millisecond, max: 15 * time.Second},
		timeout:     cfg.RequestTimeout,
		maxResponse: MaxResponseBytes,
	}, nil
}

// ForOutput returns a view of the client (sharing its limits and
// connections) that accepts answers large enough for a result of the given
// size: a 100 MP input may give a result larger than MaxResponseBytes, and
// refusing it after it was billed would waste the credits.
func (c *Client) ForOutput(size image.Point) *Client {
	v := *c
	v.maxResponse = ResultLimit(size)
	return &v
}

// ResultLimit is the largest answer accepted for a result of the given
// size: an incompressible RGBA PNG, base64-encoded, plus room for the JSON
// around it; never less than MaxResponseBytes.
func ResultLimit(size image.Point) int64 {
	raw := int64(size.X) * int64(size.Y) * 4
	return max(MaxResponseBytes, raw/3*4+raw/16+4<<20)
}

// Config returns the configuration in use, defaults filled in.
func (c *Client) Config() Config { return c.cfg }

// Stage is where a job is.
type Stage int

// Job stages, in order.
const (
	StageUploading Stage = iota
	StageQueued
	StageProcessing
	StageDownloading
	StageDone
)

// Progress is reported while a job runs. Fraction is in 0..1, or -1 when
// the server gives no figure.
type Progress struct {
	Stage    Stage
	Fraction float64
}

// ProgressFunc receives progress; it may be nil.
type ProgressFunc func(Progress)

func (f ProgressFunc) report(s Stage, frac float64) {
	if f != nil {
		f(Progress{Stage: s, Fraction: frac})
	}
}

// Result is a generated image.
type Result struct {
	Image []byte // encoded image bytes as the server sent them (PNG or JPEG)
	Info  imagefile.Info
}

// Generate runs one sync job and returns its image. Once the request is
// sent, the server has MaxWait to answer; the wait for a free slot before
// that does not count.
func (c *Client) Generate(ctx context.Context, req *Request, progress ProgressFunc) (*Result, error) {
	body, err := c.encode(req)
	if err != nil {
		return nil, err
	}
	resp, err := c.do(ctx, call{
		method: http.MethodPost, url: c.cfg.SyncURL, body: body, auth: true, submission: true,
		answerWithin: c.cfg.MaxWait,
		onUpload: func(sent, total int64) {
			if sent == total {
				progress.report(StageProcessing, -1)
			} else {
				progress.report(StageUploading, float64(sent)/float64(total))
			}
		},
	})
	if err != nil {
		return nil, err
	}
	progress.report(StageDownloading, -1)
	res, err := c.resultFrom(ctx, resp)
	if err != nil {
		return nil, err
	}
	progress.report(StageDone, 1)
	return res, nil
}

// Submit sends one async job to /run and returns its ticket.
func (c *Client) Submit(ctx context.Context, req *Request, progress ProgressFunc) (string, error) {
	body, err := c.encode(req)
	if err != nil {
		return "", err
	}
	resp, err := c.do(ctx, call{
		method: http.MethodPost, url: c.cfg.AsyncURL + pathRun, body: body, auth: true, submission: true,
		onUpload: func(sent, total int64) { progress.report(StageUploading, float64(sent)/float64(total)) },
	})
	if err != nil {
		return "", err
	}
	p, err := parseResponse(resp.body)
	if err != nil || p.Ticket == "" {
		// The server took the job but its answer is unreadable: the credits
		// may be spent, so this must not be resent silently.
		return "", fmt.Errorf("%w: %w: no ticket in the answer", ErrOutcomeUnknown, ErrBadResponse)
	}
	progress.report(StageQueued, 0)
	return p.Ticket, nil
}

// encode validates a request and prepares its streamed body.
func (c *Client) encode(req *Request) (*requestBody, error) {
	if _, err := req.Validate(c.cfg.MaxPixels); err != nil {
		return nil, err
	}
	return newRequestBody(requestFields(req))
}

// PollStatus is one /predict answer.
type PollStatus struct {
	State    State
	Status   string  // the server's status word, lower case
	Progress float64 // 0..1, or -1 when absent
	Result   *Result // when State is StateDone
	Message  string  // the server's reason when State is StateFailed
}

// Poll asks once for a job's status (retrying transient errors). A failed
// job is a PollStatus with StateFailed, not an error.
func (c *Client) Poll(ctx context.Context, ticket string) (*PollStatus, error) {
	resp, err := c.do(ctx, call{
		method: http.MethodPost, url: c.cfg.AsyncURL + pathPredict,
		body: rawBody(ticketBody(ticket)), auth: true,
	})
	if err != nil {
		return nil, err
	}
	if isImageResponse(resp) {
		res, err := c.resultFrom(ctx, resp)
		if err != nil {
			return nil, err
		}
		return &PollStatus{State: StateDone, Status: StatusCompleted, Progress: 1, Result: res}, nil
	}
	p, err := parseResponse(resp.body)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadResponse, err)
	}
	st := &PollStatus{State: p.state(), Status: p.Status, Progress: p.Progress, Message: Redact(p.Error, c.cfg.APIKey)}
	if st.State == StateRunning && (len(p.Image) > 0 || p.ImageURL != "") && p.Status == "" {
		st.State = StateDone // an image with no status word is a finished job
	}
	if st.State == StateDone {
		res, err := c.resultFrom(ctx, resp)
		if err != nil {
			return nil, err
		}
		st.Result, st.Progress = res, 1
	}
	return st, nil
}

// maxGarbled is how many unreadable poll answers in a row Wait tolerates
// (a proxy's error page, a cut-off body) before it gives up.
const maxGarbled = 3

// Wait polls a ticket every PollInterval until the job is done, failed,
// ctx ends, or MaxWait has passed since the call (ErrTimeout). Transient
// errors are retried until then, and a few unreadable answers in a row.
func (c *Client) Wait(ctx context.Context, ticket string, progress ProgressFunc) (*Result, error) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.MaxWait)
	defer cancel()
	defer c.slots.waiting()()
	var lastErr error
	garbled := 0
	for {
		st, err := c.Poll(ctx, ticket)
		if errors.Is(err, ErrBadResponse) && ctx.Err() == nil {
			if garbled++; garbled < maxGarbled {
				lastErr = err
				if sleep(ctx, jitter(c.cfg.PollInterval, 0.1)) != nil {
					return nil, c.waitEnded(ctx, ticket, lastErr)
				}
				continue
			}
			return nil, err
		}
		switch {
		case err == nil:
			lastErr, garbled = nil, 0
			switch st.State {
			case StateDone:
				progress.report(StageDone, 1)
				return st.Result, nil
			case StateFailed:
				return nil, &JobError{Ticket: ticket, Message: st.Message}
			}
			stage := StageProcessing
			if st.Status == StatusQueued || st.Status == "pending" || st.Status == "in_queue" {
				stage = StageQueued
			}
			progress.report(stage, st.Progress)
		case ctx.Err() != nil:
			return nil, c.waitEnded(ctx, ticket, lastErr)
		case Retryable(err):
			lastErr = err
		default:
			return nil, err
		}
		if err := sleep(ctx, jitter(c.cfg.PollInterval, 0.1)); err != nil {
			return nil, c.waitEnded(ctx, ticket, lastErr)
		}
	}
}

func (c *Client) waitEnded(ctx context.Context, ticket string, lastErr error) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		if lastErr != nil {
			return fmt.Errorf("%w: no answer after %s (last error: %w)", ErrTimeout, c.cfg.MaxWait, lastErr)
		}
		return fmt.Errorf("%w: the server took the job but had not finished it after %s; it may still finish (and bill) it",
			ErrTimeout, c.cfg.MaxWait)
	}
	return ctx.Err()
}

// Ping wakes the sync and async servers (GET /ping, then POST on a 405 or
// a failure). It sends no credentials.
func (c *Client) Ping(ctx context.Context) error {
	bases := []string{c.cfg.SyncURL}
	if c.cfg.AsyncURL != strings.TrimRight(c.cfg.SyncURL, "/") {
		bases = append(bases, c.cfg.AsyncURL)
	}
	errs := make(chan error, len(bases))
	for _, base := range bases {
		go func() { errs <- c.pingOne(ctx, strings.TrimRight(base, "/")+pathPing) }()
	}
	var all []error
	for range bases {
		all = append(all, <-errs)
	}
	return errors.Join(all...)
}

func (c *Client) pingOne(ctx context.Context, u string) error {
	_, err := c.do(ctx, call{method: http.MethodGet, url: u})
	if err == nil {
		return nil
	}
	if _, postErr := c.do(ctx, call{method: http.MethodPost, url: u}); postErr != nil {
		return fmt.Errorf("ping %s: %w", hostOf(u), postErr)
	}
	return nil
}

// Probe is Ping without retries: one GET (then one POST) to each base's
// /ping, so a wrong address is told at once, by what went wrong
// (ErrNoSuchHost, ErrRefused, ErrTLS, ErrTimeout, an *APIError).
func (c *Client) Probe(ctx context.Context) error {
	bases := []string{c.cfg.SyncURL}
	if c.cfg.AsyncURL != strings.TrimRight(c.cfg.SyncURL, "/") {
		bases = append(bases, c.cfg.AsyncURL)
	}
	for _, base := range bases {
		u := strings.TrimRight(base, "/") + pathPing
		_, _, err := c.attempt(ctx, call{method: http.MethodGet, url: u})
		if err == nil {
			continue
		}
		if errors.Is(err, ErrNetwork) || errors.Is(err, ErrTimeout) || ctx.Err() != nil {
			if ctx.Err() != nil {
				return contextError(ctx)
			}
			return err
		}
		if _, _, err := c.attempt(ctx, call{method: http.MethodPost, url: u}); err != nil {
			if ctx.Err() != nil {
				return contextError(ctx)
			}
			return err
		}
	}
	return nil
}

// call is one logical HTTP request, which may take several attempts.
type call struct {
	method     string
	url        string
	body       *requestBody
	auth       bool
	submission bool // costs credits: retried only when surely not received
	onUpload   func(sent, total int64)
	// answerWithin is how long the server has to start answering once the
	// request is sent: MaxWait for a sync generation, RequestTimeout for
	// everything else.
	answerWithin time.Duration
}

type response struct {
	status      int
	contentType string
	body        []byte
}

func rawBody(b []byte) *requestBody {
	rb := &requestBody{}
	rb.add(bodyPart{raw: b})
	return rb
}

// sent is what an attempt knows of how far the request went.
type sent struct {
	reached bool // a connection to the server existed
	whole   bool // the whole request, body included, was written: the server may have it
}

// do runs c with retries: submissions only when the server surely did not
// take the request (see submissionRetry), other calls on network errors,
// 429 and 5xx.
func (c *Client) do(ctx context.Context, cl call) (*response, error) {
	for attempt := 0; ; attempt++ {
		resp, st, err := c.attempt(ctx, cl)
		if err == nil {
			return resp, nil
		}
		if ctx.Err() != nil {
			if cl.submission && st.whole {
				return nil, fmt.Errorf("%w: %w", ErrOutcomeUnknown, contextError(ctx))
			}
			return nil, contextError(ctx)
		}
		var apiErr *APIError
		isAPI := errors.As(err, &apiErr)
		retry := false
		switch {
		case errors.Is(err, ErrRedirected):
			// A redirect answer: nothing was processed, nothing is followed.
		case cl.submission && isAPI:
			retry, err = submissionRetry(apiErr, st, err)
		case cl.submission && st.whole:
			err = fmt.Errorf("%w: %w", ErrOutcomeUnknown, err)
		case cl.submission && st.reached:
			// Part of the body never left: the server cannot have run the
			// job. Not retried (the same upload would likely stall again),
			// but nothing was billed.
		case isAPI:
			retry = apiErr.StatusCode == http.StatusTooManyRequests || apiErr.StatusCode >= 500
		default:
			retry = true // a network error
		}
		if !retry || attempt+1 >= c.retry.attempts {
			return nil, err
		}
		wait := c.retry.delay(attempt)
		if isAPI && apiErr.RetryAfter > 0 {
			wait = min(apiErr.RetryAfter, time.Minute)
		}
		c.cfg.Logger.Debug("retrying", "url", redactURL(cl.url), "attempt", attempt+1, "wait", wait, "error", err)
		if sleep(ctx, wait) != nil {
			return nil, contextError(ctx)
		}
	}
}

// submissionRetry decides whether a paid request that got an error answer
// may be sent again (the table in docs/RELIABILITY.md):
//   - 429: a rate limit turns requests away before any work: retried.
//   - 503 with Retry-After, or before the body was all sent: the server
//     says it did not take the job: retried.
//   - 502, 503 and 504 otherwise: a gateway answered; behind it the job may
//     have been taken: not retried, "may have been billed".
//   - anything else (400, 401, 402, 500…): the server's own refusal: not
//     retried, returned as it is.
func submissionRetry(apiErr *APIError, st sent, err error) (bool, error) {
	switch code := apiErr.StatusCode; {
	case code == http.StatusTooManyRequests:
		return true, err
	case code == http.StatusServiceUnavailable && (apiErr.retryLater || !st.whole):
		return true, err
	case code == http.StatusBadGateway || code == http.StatusServiceUnavailable || code == http.StatusGatewayTimeout:
		return false, fmt.Errorf("%w: %w", ErrOutcomeUnknown, err)
	}
	return false, err
}

func contextError(ctx context.Context) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("%w: %w", ErrTimeout, ctx.Err())
	}
	return ctx.Err()
}

// stallTimeout is how long an upload or a download may make no progress.
const stallTimeout = 60 * time.Second

// attempt makes one HTTP request under the concurrency limit. A watchdog
// ends it when the upload stalls, when the server does not start answering
// within the call's answer deadline once the request is sent, or when the
// answer stalls.
func (c *Client) attempt(ctx context.Context, cl call) (resp *response, st sent, err error) {
	release, err := c.slots.acquire(ctx, cl.submission)
	if err != nil {
		return nil, st, err
	}
	defer release()

	if !cl.submission {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.timeout)
		defer cancel()
	}
	answerWithin := cl.answerWithin
	if answerWithin <= 0 {
		answerWithin = c.timeout
	}
	actx, cancelCause := context.WithCancelCause(ctx)
	defer cancelCause(nil)
	dog := newWatchdog(cancelCause)
	defer dog.stop()
	dog.arm(stallTimeout, &stallError{what: fmt.Sprintf("the upload made no progress for %s", stallTimeout)})
	noAnswer := &stallError{what: fmt.Sprintf("the server did not answer within %s of the request", answerWithin)}
	// The trace's callbacks run on the transport's goroutines, and may
	// still run after Do returned: they write seen, never the result st.
	var mu sync.Mutex
	var seen sent
	actx = httptrace.WithClientTrace(actx, &httptrace.ClientTrace{
		GotConn: func(httptrace.GotConnInfo) { mu.Lock(); seen.reached = true; mu.Unlock() },
		WroteRequest: func(info httptrace.WroteRequestInfo) {
			if info.Err == nil {
				mu.Lock()
				seen.whole = true
				mu.Unlock()
				dog.arm(answerWithin, noAnswer)
			}
		},
		GotFirstResponseByte: func() {
			dog.arm(stallTimeout, &stallError{what: fmt.Sprintf("the answer stopped arriving for %s", stallTimeout)})
		},
	})
	snapshot := func() sent { mu.Lock(); defer mu.Unlock(); return seen }
	var body io.Reader
	var size int64
	if cl.body != nil {
		size = cl.body.size
		body = &countingReader{r: cl.body.reader(), total: size, fn: func(n, total int64) {
			dog.poke()
			if cl.onUpload != nil {
				cl.onUpload(n, total)
			}
		}}
	}
	req, err := http.NewRequestWithContext(actx, cl.method, cl.url, body)
	if err != nil {
		return nil, snapshot(), fmt.Errorf("building the request: %w", err)
	}
	if cl.body != nil {
		req.ContentLength = size
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(cl.body.reader()), nil }
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json, image/*")
	if cl.auth {
		req.Header.Set(headerAPIKey, c.cfg.APIKey)
		req.Header.Set(headerEmail, c.cfg.Email)
	}
	start := time.Now()
	httpResp, err := c.cfg.HTTPClient.Do(req)
	if err != nil {
		err = c.transportError(actx, cl, err)
		c.cfg.Logger.Debug("request failed", "method", cl.method, "url", redactURL(cl.url), "error", err)
		return nil, snapshot(), err
	}
	defer httpResp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(&pokingReader{r: httpResp.Body, dog: dog}, c.maxResponse+1))
	c.cfg.Logger.Debug("request", "method", cl.method, "url", redactURL(cl.url), "status", httpResp.StatusCode,
		"bytes", len(data), "took", time.Since(start).Round(time.Millisecond))
	if err != nil {
		return nil, snapshot(), fmt.Errorf("the answer was cut off: %w", c.transportError(actx, cl, err))
	}
	if int64(len(data)) > c.maxResponse {
		return nil, snapshot(), fmt.Errorf("%w: %w (over %d MiB)", ErrBadResponse, ErrAnswerTooLarge, c.maxResponse>>20)
	}
	if httpResp.StatusCode < 200 || httpResp.StatusCode > 299 {
		return nil, snapshot(), newAPIError(httpResp, data, c.cfg.APIKey)
	}
	return &response{status: httpResp.StatusCode, contentType: httpResp.Header.Get("Content-Type"), body: data}, snapshot(), nil
}

// transportError turns a failed request into a plain, redacted error: a
// refused redirect, a watchdog's stall (ErrTimeout), or ErrNetwork.
func (c *Client) transportError(actx context.Context, cl call, err error) error {
	err = unwrapURLError(err)
	var stall *stallError
	switch {
	case errors.Is(err, ErrRedirected):
		return err
	case errors.Is(err, ErrInsecureURL):
		return fmt.Errorf("%w: %w", ErrRedirected, err)
	case errors.As(context.Cause(actx), &stall):
		return fmt.Errorf("%w (%s): %s", ErrTimeout, hostOf(cl.url), stall.what)
	}
	if cause := networkCause(err); cause != nil {
		return fmt.Errorf("%w (%s): %w: %w", ErrNetwork, hostOf(cl.url), cause, redactErr(err, c.cfg.APIKey))
	}
	return fmt.Errorf("%w (%s): %w", ErrNetwork, hostOf(cl.url), redactErr(err, c.cfg.APIKey))
}

// pokingReader tells the watchdog that the answer is still arriving.
type pokingReader struct {
	r   io.Reader
	dog *watchdog
}

func (p *pokingReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	if n > 0 {
		p.dog.poke()
	}
	return n, err
}

// newAPIError classifies a non-2xx answer. A server that echoes the API key
// in its message gets it redacted.
func newAPIError(resp *http.Response, body []byte, apiKey string) *APIError {
	e := &APIError{StatusCode: resp.StatusCode, kind: kindForStatus(resp.StatusCode)}
	if p, err := parseResponse(body); err == nil && p.Error != "" {
		e.Message = p.Error
	} else if err != nil && !strings.HasPrefix(strings.TrimSpace(strings.ToLower(string(body[:min(len(body), 64)]))), "<") {
		e.Message = string(body) // plain text, not an HTML error page
	}
	e.Message = Redact(strings.Join(strings.Fields(e.Message), " "), apiKey)
	if len(e.Message) > 300 {
		e.Message = e.Message[:300] + "…"
	}
	e.RetryAfter = parseRetryAfter(resp.Header.Get("Retry-After"))
	e.retryLater = resp.Header.Get("Retry-After") != ""
	return e
}

func parseRetryAfter(v string) time.Duration {
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(time.Until(t), 0)
	}
	return 0
}

func isImageResponse(r *response) bool {
	return strings.HasPrefix(strings.ToLower(r.contentType), "image/")
}

// resultFrom extracts the image of a 2xx answer: an image/* body, base64
// in JSON, or a URL to download with the same size cap.
func (c *Client) resultFrom(ctx context.Context, resp *response) (*Result, error) {
	data := resp.body
	if !isImageResponse(resp) {
		p, err := parseResponse(resp.body)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrBadResponse, err)
		}
		switch {
		case len(p.Image) > 0:
			data = p.Image
		case p.ImageURL != "":
			if data, err = c.download(ctx, p.ImageURL); err != nil {
				return nil, err
			}
		default:
			return nil, fmt.Errorf("%w: the answer holds no image", ErrBadResponse)
		}
	}
	info, err := imagefile.Inspect(data, 0)
	if err != nil {
		return nil, fmt.Errorf("%w: the returned image: %w", ErrBadResponse, err)
	}
	return &Result{Image: scrubMetadata(data, c.cfg.APIKey), Info: info}, nil
}

// download fetches a result URL. Credentials go only to the configured
// servers' hosts, never to third-party storage links.
func (c *Client) download(ctx context.Context, u string) ([]byte, error) {
	if err := CheckURL(u); err != nil {
		return nil, fmt.Errorf("%w: result link: %w", ErrBadResponse, err)
	}
	auth := sameOriginString(u, c.cfg.SyncURL) || sameOriginString(u, c.cfg.AsyncURL)
	resp, err := c.do(ctx, call{method: http.MethodGet, url: u, auth: auth})
	if err != nil {
		return nil, fmt.Errorf("downloading the result: %w", err)
	}
	if !isImageResponse(resp) {
		if _, err := imagefile.Inspect(resp.body, 0); err != nil {
			return nil, fmt.Errorf("%w: the result link did not give an image", ErrBadResponse)
		}
	}
	return resp.body, nil
}

func (p retryPolicy) delay(attempt int) time.Duration {
	d := p.base << min(attempt, 16)
	return jitter(min(d, p.max), 0.5)
}

// jitter spreads d by ±frac so that clients do not retry in lockstep.
func jitter(d time.Duration, frac float64) time.Duration {
	return time.Duration(float64(d) * (1 - frac + 2*frac*rand.Float64()))
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "?"
	}
	return u.Host
}

// redactURL drops a URL's query and user info, where signed links and
// credentials live.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "?"
	}
	return u.Scheme + "://" + u.Host + u.Path
}

// unwrapURLError drops *url.Error's "Post URL:" prefix, which could carry a
// signed link, keeping the cause.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
