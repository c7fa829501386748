//go:build race

package main

// raceEnabled builds the binary under test with -race too, so it reuses the
// packages the test build already compiled (GLFW's cgo build is slow).
const raceEnabled = true
