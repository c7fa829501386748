//go:build race

package clienttest

// Race reports whether this binary was built with the race detector, whose
// shadow memory makes resident-memory figures meaningless.
const Race = true
