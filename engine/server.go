// Package engine is the local, offline Zen-Inpaint engine: an HTTP server on
// 127.0.0.1 that speaks the same wire protocol as the hosted service (sync
// POST /, async /run and /predict, /ping) and generates images with
// classical, non-AI image processing. It is the app's default, so the app
// works with no account and no internet, and every test runs offline.
package engine

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/zeninpaint/studio/client"
	"github.com/zeninpaint/studio/client/imagefile"
)

// Options configure a Server. Zero values mean the defaults.
type Options struct {
	APIKey, Email string        // when APIKey is set, every call but /ping must carry both
	Workers       int           // jobs generated at once: default the number of CPUs
	MaxQueued     int           // async jobs waiting or running before /run answers 429: default 64
	MaxBodyBytes  int64         // request body cap (413 above): default 256 MiB
	MaxPixels     int64         // per input image: default imagefile.DefaultMaxPixels
	ResultTTL     time.Duration // how long finished jobs are kept: default 30 min
	Logger        *slog.Logger  // discarded when nil
}

// Server is the engine's http.Handler. Create it with NewServer.
type Server struct {
	opts    Options
	workers chan struct{} // a token per job being generated
	gen     func(context.Context, *client.Request, func(float64)) ([]byte, error)

	mu     sync.Mutex
	jobs   map[string]*job
	closed bool
	ctx    context.Context // ends running jobs on Close
	cancel context.CancelFunc
}

type job struct {
	progress atomic.Uint64 // float64 bits of 0..1
	cancel   context.CancelFunc

	// guarded by Server.mu
	status   string
	image    []byte
	message  string
	finished time.Time
}

// NewServer returns a server with opts.
func NewServer(opts Options) *Server {
	if opts.Workers <= 0 {
		opts.Workers = runtime.NumCPU()
	}
	if opts.MaxQueued <= 0 {
		opts.MaxQueued = 64
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = 256 << 20
	}
	if opts.MaxPixels <= 0 {
		opts.MaxPixels = imagefile.DefaultMaxPixels
	}
	if opts.ResultTTL <= 0 {
		opts.ResultTTL = 30 * time.Minute
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Server{
		opts:    opts,
		workers: make(chan struct{}, opts.Workers),
		jobs:    map[string]*job{},
		ctx:     ctx,
		cancel:  cancel,
	}
	s.gen = func(ctx context.Context, r *client.Request, p func(float64)) ([]byte, error) {
		return generate(ctx, r, opts.MaxPixels, p) // readRequest validated r
	}
	return s
}

// Close cancels running jobs; later calls answer 503.
func (s *Server) Close() {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.cancel()
}

// ServeHTTP routes the protocol's endpoints.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	run, predict, ping := client.Paths()
	if r.URL.Path == ping {
		if r.Method != http.MethodGet && r.Method != http.MethodPost {
			writeError(w, http.StatusMethodNotAllowed, "use GET or POST")
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"status":"ok"}`))
		return
	}
	if r.Method != http.MethodPost {
		writeError(w, http.StatusMethodNotAllowed, "use POST")
		return
	}
	if !s.authorized(r) {
		writeError(w, http.StatusUnauthorized, "invalid API key or e-mail")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, s.opts.MaxBodyBytes)
	switch r.URL.Path {
	case "/", "":
		s.serveSync(w, r)
	case run:
		s.serveRun(w, r)
	case predict:
		s.servePredict(w, r)
	default:
		writeError(w, http.StatusNotFound, "no such endpoint")
	}
}

func (s *Server) authorized(r *http.Request) bool {
	if s.opts.APIKey == "" {
		return true
	}
	keyHeader, emailHeader := client.AuthHeaders()
	key := subtle.ConstantTimeCompare([]byte(r.Header.Get(keyHeader)), []byte(s.opts.APIKey))
	email := subtle.ConstantTimeCompare([]byte(r.Header.Get(emailHeader)), []byte(s.opts.Email))
	return key&email == 1
}

// readRequest decodes and validates a body, answering the error itself.
// A closed server takes no new jobs (but still answers /predict, so clients
// learn that their jobs failed).
func (s *Server) readRequest(w http.ResponseWriter, r *http.Request) (*client.Request, bool) {
	s.mu.Lock()
	closed := s.closed
	s.mu.Unlock()
	if closed {
		writeError(w, http.StatusServiceUnavailable, "the engine is shutting down")
		return nil, false
	}
	req, err := client.DecodeRequest(r.Body)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("the request is over %d MiB", s.opts.MaxBodyBytes>>20))
		} else {
			writeError(w, http.StatusBadRequest, err.Error())
		}
		return nil, false
	}
	if _, err := req.Validate(s.opts.MaxPixels); err != nil {
		status := http.StatusUnprocessableEntity
		if errors.Is(err, imagefile.ErrTooManyPixels) {
			status = http.StatusRequestEntityTooLarge
		}
		writeError(w, status, err.Error())
		return nil, false
	}
	return req, true
}

func (s *Server) serveSync(w http.ResponseWriter, r *http.Request) {
	req, ok := s.readRequest(w, r)
	if !ok {
		return
	}
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	stop := context.AfterFunc(s.ctx, cancel)
	defer stop()
	img, err := s.generate(ctx, req, func(float64) {})
	if err != nil {
		if ctx.Err() != nil {
			return // the client went away
		}
		writeError(w, statusFor(err), err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(client.ImageResponse(img))
}

// generate runs one job on a worker slot.
func (s *Server) generate(ctx context.Context, req *client.Request, progress func(float64)) ([]byte, error) {
	select {
	case s.workers <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-s.workers }()
	start := time.Now()
	img, err := s.gen(ctx, req, progress)
	s.opts.Logger.Info("generated", "mode", req.Mode, "took", time.Since(start).Round(time.Millisecond), "error", err)
	return img, err
}

func (s *Server) serveRun(w http.ResponseWriter, r *http.Request) {
	req, ok := s.readRequest(w, r)
	if !ok {
		return
	}
	ticket, err := newTicket()
	if err != nil {
		writeError(w, http.StatusInternalServerError, "could not make a ticket")
		return
	}
	ctx, cancel := context.WithCancel(s.ctx)
	j := &job{status: client.StatusQueued, cancel: cancel}
	s.mu.Lock()
	s.sweepLocked(time.Now())
	if s.activeLocked() >= s.opts.MaxQueued {
		s.mu.Unlock()
		cancel()
		w.Header().Set("Retry-After", "2")
		writeError(w, http.StatusTooManyRequests, "the engine has too many jobs waiting")
		return
	}
	s.jobs[ticket] = j
	s.mu.Unlock()

	go s.runJob(ctx, j, req)
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(client.TicketResponse(ticket))
}

func (s *Server) runJob(ctx context.Context, j *job, req *client.Request) {
	defer j.cancel()
	img, err := s.generate(ctx, req, func(p float64) {
		s.mu.Lock()
		if j.status == client.StatusQueued {
			j.status = client.StatusProcessing
		}
		s.mu.Unlock()
		j.progress.Store(floatBits(p))
	})
	s.mu.Lock()
	defer s.mu.Unlock()
	j.finished = time.Now()
	if err != nil {
		j.status, j.message = client.StatusFailed, err.Error()
		return
	}
	j.status, j.image = client.StatusCompleted, img
	j.progress.Store(floatBits(1))
}

func (s *Server) servePredict(w http.ResponseWriter, r *http.Request) {
	ticket, err := client.DecodeTicket(r.Body)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	s.mu.Lock()
	s.sweepLocked(time.Now())
	j := s.jobs[ticket]
	var status, message string
	var image []byte
	if j != nil {
		status, message, image = j.status, j.message, j.image
	}
	s.mu.Unlock()
	if j == nil {
		writeError(w, http.StatusNotFound, "unknown or expired ticket")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(client.StatusResponse(status, floatFrom(j.progress.Load()), image, message))
}

// activeLocked counts jobs not yet finished.
func (s *Server) activeLocked() int {
	n := 0
	for _, j := range s.jobs {
		if j.finished.IsZero() {
			n++
		}
	}
	return n
}

// sweepLocked forgets jobs finished longer than ResultTTL ago.
func (s *Server) sweepLocked(now time.Time) {
	for t, j := range s.jobs {
		if !j.finished.IsZero() && now.Sub(j.finished) > s.opts.ResultTTL {
			delete(s.jobs, t)
		}
	}
}

// newTicket is 128 random bits in hex: unguessable.
func newTicket() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return hex.EncodeToString(b[:]), nil
}

func statusFor(err error) int {
	switch {
	case errors.Is(err, imagefile.ErrTooManyPixels):
		return http.StatusRequestEntityTooLarge
	case errors.Is(err, client.ErrInvalidRequest), errors.Is(err, imagefile.ErrNotImage):
		return http.StatusUnprocessableEntity
	case errors.Is(err, context.Canceled):
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

func writeError(w http.ResponseWriter, status int, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(client.ErrorResponse(message))
}
