package jobs

// WriteAtomic writes a file so that a crash leaves the old contents or the
// new, never a torn file: a temporary file, fsync, rename, and an fsync of
// the folder. The app's other state (the workspace) is saved with it.
func WriteAtomic(path string, data []byte) error { return writeAtomic(path, data) }

// Blob reads one of the queue's stored images by its name (an Input's or
// an Original's Blob).
func (m *Manager) Blob(name string) ([]byte, error) { return m.opts.Store.Blob(name) }
