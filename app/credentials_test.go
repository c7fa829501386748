package app

import (
	"errors"
	"os"
	"runtime"
	"strings"
	"testing"
)

// sessionBus is the D-Bus session address the tests started with. Read
// before any test runs: without one, the first keyring call (any test
// studio makes one) would have godbus run dbus-launch, which leaves a
// daemon running and sets the address in this process, so a later check
// would see a bus with no keyring on it. Such an autolaunch is turned off
// instead: the keyring then fails, and the app keeps the key in memory.
var sessionBus = noDBusAutolaunch()

func noDBusAutolaunch() string {
	addr := os.Getenv("DBUS_SESSION_BUS_ADDRESS")
	if addr == "" && isLinux() {
		_ = os.Setenv("DBUS_SESSION_BUS_ADDRESS", "disabled:") // no transport: dialling fails at once
	}
	return addr
}

// TestKeyringRoundTrip uses the real OS keyring (gnome-keyring under
// dbus-run-session in `make test`).
func TestKeyringRoundTrip(t *testing.T) {
	if sessionBus == "" && isLinux() {
		if os.Getenv("CI") != "" {
			t.Fatal("no D-Bus session on CI: `make test` starts one with gnome-keyring")
		}
		t.Skip("no D-Bus session here: run through `make test`, which starts one with gnome-keyring")
	}
	k := NewKeyring(ID + ".test." + t.Name())
	t.Cleanup(func() { _ = k.Delete() })
	want := Credentials{APIKey: "zk-live-TESTKEY-123", Email: "designer@example.com"}
	if err := k.Save(want); err != nil {
		t.Fatalf("Save: %v", err)
	}
	// A new Keyring reads from the OS, not from memory.
	got, err := NewKeyring(k.service).Load()
	if err != nil || got != want {
		t.Fatalf("Load = %+v, %v", got, err)
	}
	if strings.Contains(got.String(), want.APIKey) {
		t.Error("Credentials.String shows the key")
	}
	if err := k.Delete(); err != nil {
		t.Fatal(err)
	}
	if got, err := NewKeyring(k.service).Load(); err != nil || got != (Credentials{}) {
		t.Fatalf("after Delete: %+v, %v", got, err)
	}
}

// brokenStore fails as a locked or missing keyring does.
type brokenStore struct{}

var errLocked = errors.New("failed to unlock correct collection")

func (brokenStore) Get(string, string) (string, error) { return "", errLocked }
func (brokenStore) Set(string, string, string) error   { return errLocked }
func (brokenStore) Delete(string, string) error        { return errLocked }

func TestKeyringFallsBackToMemory(t *testing.T) {
	k := &Keyring{service: ID + ".test.fallback", store: brokenStore{}}
	if _, err := k.Load(); !errors.Is(err, ErrNoKeyring) {
		t.Errorf("Load without a keyring = %v, want ErrNoKeyring", err)
	}
	c := Credentials{APIKey: "k", Email: "e"}
	if err := k.Save(c); !errors.Is(err, ErrNoKeyring) || !strings.Contains(err.Error(), "this session only") {
		t.Fatalf("Save without a keyring = %v, want ErrNoKeyring", err)
	}
	if got, err := k.Load(); err != nil || got != c {
		t.Errorf("Load from memory = %+v, %v", got, err)
	}
}

func isLinux() bool { return runtime.GOOS == "linux" }

// dbusStore fails with the Secret Service's own words, which are not for
// the user.
type dbusStore struct{}

var errDBus = errors.New("org.freedesktop.DBus.Error.ServiceUnknown: The name org.freedesktop.secrets was not provided by any .service files")

func (dbusStore) Get(string, string) (string, error) { return "", errDBus }
func (dbusStore) Set(string, string, string) error   { return errDBus }
func (dbusStore) Delete(string, string) error        { return errDBus }

// Keyring failures are told in plain words; the D-Bus text is kept for the
// log (errors.Is still finds it).
func TestKeyringFailuresArePlain(t *testing.T) {
	k := &Keyring{service: ID + ".test.dbus", store: dbusStore{}}
	_, loadErr := k.Load()
	for name, err := range map[string]error{"load": loadErr, "save": k.Save(Credentials{APIKey: "k"}), "delete": k.Delete()} {
		if !errors.Is(err, ErrNoKeyring) || !errors.Is(err, errDBus) {
			t.Errorf("%s: %v does not wrap both ErrNoKeyring and the cause", name, err)
		}
		for _, shown := range []string{err.Error(), keyringMessage(err)} {
			if strings.Contains(shown, "DBus") || strings.Contains(shown, "freedesktop") {
				t.Errorf("%s: %q shows the D-Bus text", name, shown)
			}
		}
	}
}
