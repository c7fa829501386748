package main

import (
	"bytes"
	"debug/pe"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"unicode/utf16"
)

// TestWindowsExecutable checks the .exe that `make test` cross-builds with
// mingw-w64: a 64-bit x86 GUI program with resources (icon, version) that
// name the app.
func TestWindowsExecutable(t *testing.T) {
	path := builtBy(t, "ZEN_WINDOWS_EXE", "the Windows executable")
	f, err := pe.Open(path)
	if err != nil {
		t.Fatalf("not a PE file: %v", err)
	}
	defer f.Close()
	if f.Machine != pe.IMAGE_FILE_MACHINE_AMD64 {
		t.Errorf("machine %#x, want AMD64", f.Machine)
	}
	opt, ok := f.OptionalHeader.(*pe.OptionalHeader64)
	if !ok {
		t.Fatalf("not a 64-bit PE: %T", f.OptionalHeader)
	}
	if opt.Subsystem != pe.IMAGE_SUBSYSTEM_WINDOWS_GUI {
		t.Errorf("subsystem %d, want a GUI program (no console window)", opt.Subsystem)
	}
	if f.Section(".rsrc") == nil {
		t.Fatal("no .rsrc section: the icon and version information are missing")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"Zen Inpaint Studio", "0.1.0"} {
		if !bytes.Contains(data, utf16le(s)) {
			t.Errorf("the version information lacks %q", s)
		}
	}
}

// builtBy returns the path `make test` passes in env, or skips (fails on
// CI, where make always builds it).
func builtBy(t *testing.T, env, what string) string {
	t.Helper()
	path := os.Getenv(env)
	if path == "" {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is not set: `make test` builds %s first", env, what)
		}
		t.Skipf("set %s (or run `make test`) to check %s", env, what)
	}
	return path
}

func utf16le(s string) []byte {
	var b []byte
	for _, r := range utf16.Encode([]rune(s)) {
		b = append(b, byte(r), byte(r>>8))
	}
	return b
}

// TestLinuxPackageInstallsAndStarts installs the bundle `make test` builds
// into a temporary root with its own Makefile and starts the installed
// program: its window must appear.
func TestLinuxPackageInstallsAndStarts(t *testing.T) {
	tarball := builtBy(t, "ZEN_LINUX_PACKAGE", "the Linux bundle")
	need(t, "xdotool", "make", "tar")
	if os.Getenv("DISPLAY") == "" {
		t.Skip("no X display")
	}
	dir, root := t.TempDir(), t.TempDir()
	run(t, "tar", "xJf", tarball, "-C", dir)
	unpacked, _ := filepath.Glob(filepath.Join(dir, "*", "Makefile"))
	if len(unpacked) != 1 {
		t.Fatalf("the bundle has %d Makefiles", len(unpacked))
	}
	run(t, "make", "-C", filepath.Dir(unpacked[0]), "install", "DESTDIR="+root, "PREFIX=/usr")
	desktop, err := os.ReadFile(filepath.Join(root, "usr/share/applications", "com.fotographer.zeninpaint.studio.desktop"))
	if err != nil || !bytes.Contains(desktop, []byte("Name=Zen Inpaint Studio")) || !bytes.Contains(desktop, []byte("Exec=zen-inpaint-studio")) {
		t.Fatalf("desktop file: %v\n%s", err, desktop)
	}
	if _, err := os.Stat(filepath.Join(root, "usr/share/pixmaps", "com.fotographer.zeninpaint.studio.png")); err != nil {
		t.Errorf("icon: %v", err)
	}
	home := t.TempDir()
	cmd := exec.Command(filepath.Join(root, "usr/bin/zen-inpaint-studio"), "--data", filepath.Join(home, "data"))
	cmd.Env = append(os.Environ(), "HOME="+home)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	run(t, "timeout", untilDeadline(t), "xdotool", "search", "--sync", "--onlyvisible", "--name", "Zen Inpaint Studio")
}
