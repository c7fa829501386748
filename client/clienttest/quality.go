package clienttest

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// QualityRun is a benchmark against OpenCV that `make quality` runs: the
// folder the pictures go to and the Python that runs OpenCV's script.
type QualityRun struct {
	Dir    string
	Python string
}

// NewQualityRun skips t, saying why, unless ZEN_QUALITY is set. The folder
// is ZEN_QUALITY_OUT (made when missing; it keeps the pictures), else a
// temporary one; the Python is ZEN_PYTHON, else python3.
func NewQualityRun(t testing.TB, skip string) QualityRun {
	t.Helper()
	if os.Getenv("ZEN_QUALITY") == "" {
		t.Skip(skip)
	}
	q := QualityRun{Dir: os.Getenv("ZEN_QUALITY_OUT"), Python: os.Getenv("ZEN_PYTHON")}
	if q.Dir == "" {
		q.Dir = t.TempDir()
	} else if err := os.MkdirAll(q.Dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if q.Python == "" {
		q.Python = "python3"
	}
	return q
}

// Reference runs the script (a path, with the folder as its argument) and
// returns the times it wrote to the folder's times.txt: each line's last
// field in seconds, keyed by the fields before it joined by a space ("NAME"
// or "NAME METHOD"). what names the reference in a failure.
func (q QualityRun) Reference(t testing.TB, what, script string) map[string]float64 {
	t.Helper()
	if msg, err := exec.Command(q.Python, script, q.Dir).CombinedOutput(); err != nil {
		t.Fatalf("%s (%s; is python3-opencv installed?): %v\n%s", what, q.Python, err, msg)
	}
	times, err := readTimes(filepath.Join(q.Dir, "times.txt"))
	if err != nil {
		t.Fatalf("%s times: %v", what, err)
	}
	return times
}

func readTimes(path string) (map[string]float64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	times := map[string]float64{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 2 {
			continue
		}
		s, err := strconv.ParseFloat(fields[len(fields)-1], 64)
		if err != nil {
			return nil, fmt.Errorf("%q: %w", sc.Text(), err)
		}
		times[strings.Join(fields[:len(fields)-1], " ")] = s
	}
	return times, sc.Err()
}
