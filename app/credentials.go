package app

import (
	"encoding/json"
	"errors"
	"sync"

	"github.com/zalando/go-keyring"
)

// Credentials are the hosted service's API key and e-mail.
type Credentials struct {
	APIKey string `json:"api_key"`
	Email  string `json:"email"`
}

// String never shows the key.
func (c Credentials) String() string {
	if c.APIKey == "" {
		return "no API key"
	}
	return "API key set for " + c.Email
}

// ErrNoKeyring means the OS keyring could not be used: the credentials are
// kept in memory for this run only.
var ErrNoKeyring = errors.New("the system keyring is not available, so the API key is kept for this session only")

// keyringError is ErrNoKeyring in plain words for the screen; the
// system's own text (D-Bus and the like) is kept for the -v log.
type keyringError struct{ cause error }

func (e *keyringError) Error() string   { return ErrNoKeyring.Error() }
func (e *keyringError) Unwrap() []error { return []error{ErrNoKeyring, e.cause} }

// Keyring keeps credentials in the OS keyring (Keychain on macOS,
// Credential Manager on Windows, the Secret Service on Linux) under a
// service name, and nowhere else; when the keyring fails it keeps them in
// memory for this run.
type Keyring struct {
	service string
	store   secretStore
	mu      sync.Mutex
	memory  *Credentials // set when the keyring failed
}

// secretStore is the OS keyring as go-keyring offers it.
type secretStore interface {
	Get(service, user string) (string, error)
	Set(service, user, secret string) error
	Delete(service, user string) error
}

type osKeyring struct{}

func (osKeyring) Get(service, user string) (string, error) { return keyring.Get(service, user) }
func (osKeyring) Set(service, user, secret string) error   { return keyring.Set(service, user, secret) }
func (osKeyring) Delete(service, user string) error        { return keyring.Delete(service, user) }

const keyringUser = "credentials"

// NewKeyring uses the OS keyring entry of service (the app ID).
func NewKeyring(service string) *Keyring { return &Keyring{service: service, store: osKeyring{}} }

// Load returns the saved credentials (empty when none are saved).
func (k *Keyring) Load() (Credentials, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.memory != nil {
		return *k.memory, nil
	}
	secret, err := k.store.Get(k.service, keyringUser)
	if errors.Is(err, keyring.ErrNotFound) {
		return Credentials{}, nil
	}
	if err != nil {
		return Credentials{}, &keyringError{cause: err}
	}
	var c Credentials
	if err := json.Unmarshal([]byte(secret), &c); err != nil {
		return Credentials{}, errors.New("the saved credentials are unreadable; enter them again in Settings")
	}
	return c, nil
}

// Save stores c. When the keyring fails, c is kept in memory and the error
// wraps ErrNoKeyring.
func (k *Keyring) Save(c Credentials) error {
	data, _ := json.Marshal(c)
	k.mu.Lock()
	defer k.mu.Unlock()
	if err := k.store.Set(k.service, keyringUser, string(data)); err != nil {
		k.memory = &c
		return &keyringError{cause: err}
	}
	k.memory = nil
	return nil
}

// Delete forgets the credentials.
func (k *Keyring) Delete() error {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.memory = nil
	if err := k.store.Delete(k.service, keyringUser); err != nil && !errors.Is(err, keyring.ErrNotFound) {
		return &keyringError{cause: err}
	}
	return nil
}
