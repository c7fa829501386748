//go:build linux && !android

package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/godbus/dbus/v5"
)

// The XDG desktop portal's names (see the FileChooser and Request
// interfaces in the xdg-desktop-portal documentation).
const (
	portalName       = "org.freedesktop.portal.Desktop"
	portalPath       = dbus.ObjectPath("/org/freedesktop/portal/desktop")
	portalChooser    = "org.freedesktop.portal.FileChooser"
	portalRequest    = "org.freedesktop.portal.Request"
	portalResponse   = portalRequest + ".Response"
	portalRequestDir = "/org/freedesktop/portal/desktop/request/"
)

// portalTimeout bounds the portal's first answer (the request's handle, not
// the designer's choice): past it Fyne's dialog is shown instead.
const portalTimeout = time.Second

// newSystemPicker is the XDG desktop portal's FileChooser, which GNOME, KDE
// and the other desktops draw with their own dialog.
func newSystemPicker() filePicker { return &portalPicker{} }

// portalPicker shows the desktop's file chooser through the XDG desktop
// portal, on a connection of its own to the session bus for each chooser:
// closing it when the chooser ends (or is given up) makes the portal close
// a dialog still open.
type portalPicker struct {
	// Address is the bus to use; "" is the session bus of the environment
	// (DBUS_SESSION_BUS_ADDRESS), never one started for the occasion.
	Address string
	// Timeout bounds the portal's first answer; 0 means portalTimeout.
	Timeout time.Duration

	busy atomic.Bool
}

// portalRule and portalFilter are the portal's filter, a(sa(us)): rule
// kind 0 is a glob (case-sensitive), 1 a MIME type.
type portalRule struct {
	Kind    uint32
	Pattern string
}

type portalFilter struct {
	Name  string
	Rules []portalRule
}

// Open asks for a file to open.
func (p *portalPicker) Open(ctx context.Context, o pickOptions) (string, error) {
	opts := map[string]dbus.Variant{"multiple": dbus.MakeVariant(false)}
	addFilters(opts, o.Filters)
	addFolder(opts, o.Folder)
	return p.choose(ctx, "OpenFile", o, opts)
}

// Save asks where to save a file.
func (p *portalPicker) Save(ctx context.Context, o pickOptions) (string, error) {
	opts := map[string]dbus.Variant{}
	if o.Name != "" {
		opts["current_name"] = dbus.MakeVariant(o.Name)
	}
	addFilters(opts, o.Filters)
	addFolder(opts, o.Folder)
	return p.choose(ctx, "SaveFile", o, opts)
}

// Folder asks for a folder (the portal's OpenFile in directory mode).
func (p *portalPicker) Folder(ctx context.Context, o pickOptions) (string, error) {
	opts := map[string]dbus.Variant{"multiple": dbus.MakeVariant(false), "directory": dbus.MakeVariant(true)}
	addFolder(opts, o.Folder)
	return p.choose(ctx, "OpenFile", o, opts)
}

// addFilters offers filters, the first chosen at first.
func addFilters(opts map[string]dbus.Variant, filters []fileFilter) {
	if len(filters) == 0 {
		return
	}
	list := make([]portalFilter, 0, len(filters))
	for _, f := range filters {
		pf := portalFilter{Name: f.Name}
		for _, ext := range f.Extensions {
			pf.Rules = append(pf.Rules,
				portalRule{Pattern: "*" + strings.ToLower(ext)},
				portalRule{Pattern: "*" + strings.ToUpper(ext)})
		}
		list = append(list, pf)
	}
	opts["filters"] = dbus.MakeVariant(list)
	opts["current_filter"] = dbus.MakeVariant(list[0])
}

// addFolder starts the chooser in folder: a NUL-terminated byte string.
func addFolder(opts map[string]dbus.Variant, folder string) {
	if folder != "" {
		opts["current_folder"] = dbus.MakeVariant(append([]byte(folder), 0))
	}
}

// choose calls the chooser's method and waits for the designer's answer,
// the Response signal on the request's object.
func (p *portalPicker) choose(ctx context.Context, method string, o pickOptions, opts map[string]dbus.Variant) (string, error) {
	if !p.busy.CompareAndSwap(false, true) {
		return "", errPickerBusy
	}
	defer p.busy.Store(false)
	// Ending ctx closes the connection (dbus.WithContext): whatever blocks
	// on it returns, and the portal closes the requests of a caller gone.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	timeout := p.Timeout
	if timeout <= 0 {
		timeout = portalTimeout
	}
	var late atomic.Bool
	timer := time.AfterFunc(timeout, func() { late.Store(true); cancel() })
	conn, handle, signals, err := p.request(ctx, method, o, opts)
	answered := timer.Stop()
	switch {
	case err == nil && answered:
	case ctx.Err() != nil && !late.Load():
		return "", ctx.Err()
	case late.Load():
		return "", fmt.Errorf("%w: the desktop portal did not answer within %v", errNoSystemPicker, timeout)
	default:
		return "", fmt.Errorf("%w: %w", errNoSystemPicker, err)
	}
	defer conn.Close()
	for {
		select {
		case sig, ok := <-signals:
			if !ok {
				if ctx.Err() != nil {
					return "", ctx.Err()
				}
				return "", errors.New("the connection to the desktop portal was lost")
			}
			if sig.Path == handle && sig.Name == portalResponse {
				return chosenPath(sig.Body)
			}
		case <-ctx.Done():
			return "", ctx.Err()
		}
	}
}

// request connects, listens for the response, then calls the chooser's
// method; it returns the request's object (the handle).
func (p *portalPicker) request(ctx context.Context, method string, o pickOptions, opts map[string]dbus.Variant) (*dbus.Conn, dbus.ObjectPath, chan *dbus.Signal, error) {
	var conn *dbus.Conn
	var err error
	if p.Address != "" {
		conn, err = dbus.Dial(p.Address, dbus.WithContext(ctx))
	} else {
		conn, err = dbus.SessionBusPrivateNoAutoStartup(dbus.WithContext(ctx))
	}
	if err != nil {
		return nil, "", nil, fmt.Errorf("no session bus: %w", err)
	}
	fail := func(what string, err error) (*dbus.Conn, dbus.ObjectPath, chan *dbus.Signal, error) {
		conn.Close()
		return nil, "", nil, fmt.Errorf("%s: %w", what, err)
	}
	if err := conn.Auth(nil); err != nil {
		return fail("the session bus refused the connection", err)
	}
	if err := conn.Hello(); err != nil {
		return fail("the session bus did not greet", err)
	}
	// The response may come at once: listen before asking, on the object
	// the portal will use for a request with this token.
	token, err := handleToken()
	if err != nil {
		return fail("no request token", err)
	}
	names := conn.Names()
	if len(names) == 0 {
		return fail("no name on the session bus", errors.New("empty"))
	}
	want := requestPath(names[0], token)
	signals := make(chan *dbus.Signal, 8)
	conn.Signal(signals)
	if err := conn.AddMatchSignalContext(ctx, dbus.WithMatchObjectPath(want), dbus.WithMatchInterface(portalRequest)); err != nil {
		return fail("could not listen for the portal's answer", err)
	}
	opts["handle_token"] = dbus.MakeVariant(token)
	opts["modal"] = dbus.MakeVariant(true)
	var handle dbus.ObjectPath
	call := conn.Object(portalName, portalPath).CallWithContext(ctx, portalChooser+"."+method, 0, o.Parent, o.Title, opts)
	if err := call.Store(&handle); err != nil {
		return fail("the desktop portal's "+method, err)
	}
	if handle != want { // portals before 0.9 chose their own object
		if err := conn.AddMatchSignalContext(ctx, dbus.WithMatchObjectPath(handle), dbus.WithMatchInterface(portalRequest)); err != nil {
			return fail("could not listen for the portal's answer", err)
		}
	}
	return conn, handle, signals, nil
}

// handleToken is a fresh token for a request's object path.
func handleToken() (string, error) {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return "zen" + hex.EncodeToString(b[:]), nil
}

// requestPath is the object of the request a caller makes with token: its
// unique name without the colon, dots made underscores.
func requestPath(sender, token string) dbus.ObjectPath {
	s := strings.ReplaceAll(strings.TrimPrefix(sender, ":"), ".", "_")
	return dbus.ObjectPath(portalRequestDir + s + "/" + token)
}

// chosenPath reads a Response (u status, a{sv} results): the first of the
// results' "uris" as a path; "" when the designer cancelled.
func chosenPath(body []any) (string, error) {
	if len(body) != 2 {
		return "", fmt.Errorf("the desktop portal answered in an unknown form (%d values)", len(body))
	}
	status, ok := body[0].(uint32)
	if !ok {
		return "", fmt.Errorf("the desktop portal answered in an unknown form (%T)", body[0])
	}
	if status != 0 { // 1: cancelled, 2: ended otherwise
		return "", nil
	}
	results, _ := body[1].(map[string]dbus.Variant)
	uris, _ := results["uris"].Value().([]string)
	if len(uris) == 0 {
		return "", nil
	}
	u, err := url.Parse(uris[0])
	if err != nil {
		return "", fmt.Errorf("the desktop portal chose %q, which is not a file address: %w", uris[0], err)
	}
	if u.Scheme != "file" || u.Path == "" {
		return "", fmt.Errorf("the chosen file %s is not on this computer's disks", uris[0])
	}
	return cleanPath(u.Path), nil
}
