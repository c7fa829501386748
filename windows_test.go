package main

import (
	"bytes"
	"debug/pe"
	"os"
	"testing"
	"unicode/utf16"
)

// TestWindowsExecutable checks the .exe that `make test` cross-builds with
// mingw-w64: a 64-bit x86 GUI program with resources (icon, version) that
// name the app.
func TestWindowsExecutable(t *testing.T) {
	path := os.Getenv("ZEN_WINDOWS_EXE")
	if path == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("ZEN_WINDOWS_EXE is not set: `make test` builds the Windows executable first")
		}
		t.Skip("set ZEN_WINDOWS_EXE (or run `make test`) to check the Windows build")
	}
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

func utf16le(s string) []byte {
	var b []byte
	for _, r := range utf16.Encode([]rune(s)) {
		b = append(b, byte(r), byte(r>>8))
	}
	return b
}
