package app

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"golang.org/x/net/dns/dnsmessage"

	"github.com/zeninpaint/studio/client"
)

// nxDomainServer is a DNS server on loopback that answers every question
// "no such name", as a real resolver does for a host that does not exist.
func nxDomainServer(t *testing.T) string {
	t.Helper()
	conn, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	go func() {
		buf := make([]byte, 1500)
		for {
			n, from, err := conn.ReadFrom(buf)
			if err != nil {
				return
			}
			var p dnsmessage.Parser
			h, err := p.Start(buf[:n])
			if err != nil {
				continue
			}
			q, err := p.Question()
			if err != nil {
				continue
			}
			b := dnsmessage.NewBuilder(nil, dnsmessage.Header{ID: h.ID, Response: true, RCode: dnsmessage.RCodeNameError,
				RecursionDesired: h.RecursionDesired, RecursionAvailable: true})
			_ = b.StartQuestions()
			_ = b.Question(q)
			if msg, err := b.Finish(); err == nil {
				_, _ = conn.WriteTo(msg, from)
			}
		}
	}()
	return conn.LocalAddr().String()
}

// resolvingClient is an HTTP client whose name look-ups go to dns.
func resolvingClient(dns string) *http.Client {
	resolver := &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, _, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, "udp", dns)
	}}
	return &http.Client{Transport: &http.Transport{DialContext: (&net.Dialer{Resolver: resolver}).DialContext}}
}

// TestConnectionSaysWhatIsWrong: Test connection tells each failure by its
// name, at once (one try, no retries), with what to do.
func TestConnectionSaysWhatIsWrong(t *testing.T) {
	refused := func() string { // a port where nothing listens
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := l.Addr().String()
		l.Close()
		return "http://" + addr
	}()
	silent, err := net.Listen("tcp", "127.0.0.1:0") // takes connections, never answers
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { silent.Close() })
	go func() {
		for {
			c, err := silent.Accept()
			if err != nil {
				return
			}
			t.Cleanup(func() { c.Close() })
		}
	}()
	tlsServer := httptest.NewTLSServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	t.Cleanup(tlsServer.Close)
	keyRefused := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/ping" {
			return
		}
		http.Error(w, "bad key", http.StatusUnauthorized)
	}))
	t.Cleanup(keyRefused.Close)
	dns := nxDomainServer(t)

	cases := []struct {
		name   string
		cfg    client.Config
		cancel bool // a short deadline, as the 10 s one would end
		want   string
	}{
		{"no such host", client.Config{SyncURL: "https://zen-test.invalid", HTTPClient: resolvingClient(dns)}, false, "No such host: zen-test.invalid"},
		{"nothing listening", client.Config{SyncURL: refused}, false, "Nothing is listening at 127.0.0.1"},
		{"untrusted certificate", client.Config{SyncURL: tlsServer.URL}, false, "could not be trusted (a TLS certificate problem)"},
		{"timed out", client.Config{SyncURL: "http://" + silent.Addr().String()}, true, "Timed out"},
		{"key refused", client.Config{SyncURL: keyRefused.URL, APIKey: "sk-test", Email: "a@b.c"}, false, "refused the API key"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			if tc.cancel {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, 300_000_000) // 0.3 s
				defer cancel()
			}
			tc.cfg.AsyncURL = tc.cfg.SyncURL
			got := testConnection(ctx, tc.cfg)
			if !strings.HasPrefix(got, "✗ ") || !strings.Contains(got, tc.want) {
				t.Errorf("testConnection = %q, want it to say %q", got, tc.want)
			}
			for _, goText := range []string{"dial tcp", "x509", "lookup ", "context deadline"} {
				if strings.Contains(got, goText) {
					t.Errorf("%q shows Go's text %q", got, goText)
				}
			}
		})
	}
}
