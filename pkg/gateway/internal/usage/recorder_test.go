package usage

import (
	"archive/zip"
	"context"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// zipLines returns the lines inside the zip at path.
func zipLines(t testing.TB, path string) []string {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	defer zr.Close()
	if len(zr.File) != 1 || zr.File[0].Name != DataFile {
		t.Fatalf("%s holds %d files, want one %s", path, len(zr.File), DataFile)
	}
	rc, err := zr.File[0].Open()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
}

// dirLines returns the lines of every zip in dir, oldest first.
func dirLines(t testing.TB, dir string) []string {
	t.Helper()
	names, err := ListZips(dir)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, n := range names {
		lines = append(lines, zipLines(t, filepath.Join(dir, n))...)
	}
	return lines
}

func record(t testing.TB, r *Recorder, id string) bool {
	t.Helper()
	e := r.Event()
	e.Kind, e.Time, e.CorrelationID, e.APIName = KindRequest, time.Now(), id, "PetStore"
	return r.Record(e)
}

func TestRecorderWritesEveryEventAndRotatesOnClose(t *testing.T) {
	dir := t.TempDir()
	r, err := NewRecorder(Options{Dir: dir, QueueSize: 100000})
	if err != nil {
		t.Fatal(err)
	}
	const workers, each = 8, 500
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				if !record(t, r, strconv.Itoa(w)+"-"+strconv.Itoa(i)) {
					t.Error("event dropped with room in the queue")
				}
			}
		}()
	}
	wg.Wait()
	if err := r.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, DataFile)); !os.IsNotExist(err) {
		t.Errorf("%s left after close: %v", DataFile, err)
	}
	lines := dirLines(t, dir)
	seen := map[string]bool{}
	for _, line := range lines {
		l, err := ParseLine(line)
		if err != nil {
			t.Fatal(err)
		}
		seen[l.Metadata] = true
	}
	if len(lines) != workers*each || len(seen) != workers*each {
		t.Errorf("%d lines, %d distinct, want %d", len(lines), len(seen), workers*each)
	}
	if s := r.Stats(); s.Recorded != workers*each || s.Written != workers*each || s.Dropped != 0 || s.Rotations != 1 {
		t.Errorf("stats %+v", s)
	}
	if record(t, r, "late") {
		t.Error("accepted an event after Close")
	}
	if r.Stats().Dropped != 1 {
		t.Error("the late event was not counted as dropped")
	}
}

func TestRecorderRotatesBySizeAndTime(t *testing.T) {
	dir := t.TempDir()
	r, err := NewRecorder(Options{Dir: dir, QueueSize: 10, RotateSize: 1000})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 30 {
		for !record(t, r, strconv.Itoa(i)) {
			time.Sleep(time.Millisecond) // tiny queue: wait for the writer
		}
	}
	if err := r.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	names, _ := ListZips(dir)
	if len(names) < 3 {
		t.Errorf("30 lines of ~300 bytes with rotate size 1000 gave %d zips", len(names))
	}
	if got := len(dirLines(t, dir)); got != 30 {
		t.Errorf("%d lines across zips, want 30", got)
	}

	dir2 := t.TempDir()
	r2, _ := NewRecorder(Options{Dir: dir2, QueueSize: 10, RotatePeriod: 50 * time.Millisecond})
	record(t, r2, "a")
	deadline := time.Now().Add(5 * time.Second)
	for {
		if names, _ := ListZips(dir2); len(names) == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no rotation after the rotate period")
		}
		time.Sleep(10 * time.Millisecond)
	}
	_ = r2.Close(context.Background())
	if names, _ := ListZips(dir2); len(names) != 1 {
		t.Errorf("an empty file was rotated: %v", names)
	}
}

func TestRecorderDropsWhenFullNeverBlocks(t *testing.T) {
	dir := t.TempDir()
	// The folder path is a file: the writer cannot start, so nothing
	// drains the queue.
	blocker := filepath.Join(dir, "file")
	if err := os.WriteFile(blocker, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	r, _ := NewRecorder(Options{Dir: filepath.Join(blocker, "usage"), QueueSize: 5})
	if err := r.Start(); err == nil {
		t.Fatal("Start succeeded under a file")
	}
	start := time.Now()
	accepted := 0
	for i := range 1000 {
		if record(t, r, strconv.Itoa(i)) {
			accepted++
		}
	}
	if time.Since(start) > time.Second {
		t.Errorf("1000 records took %v", time.Since(start))
	}
	if s := r.Stats(); accepted != 5 || s.Dropped != 995 || s.Queued != 5 {
		t.Errorf("accepted %d, stats %+v", accepted, s)
	}
}

func TestRecorderRotatesLeftoverAndCapsDisk(t *testing.T) {
	dir := t.TempDir()
	// A data file left by a crash, three old zips and a partial rotation.
	leftover := string(AppendLine(nil, &Event{Kind: KindRequest, CorrelationID: "old"}))
	if err := os.WriteFile(filepath.Join(dir, DataFile), []byte(leftover), 0o600); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		name := ZipName(time.UnixMilli(int64(1000 + i)))
		if err := os.WriteFile(filepath.Join(dir, name), make([]byte, 400), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	tmp := filepath.Join(dir, ZipName(time.UnixMilli(5))+".tmp")
	_ = os.WriteFile(tmp, []byte("partial"), 0o600)
	r, _ := NewRecorder(Options{Dir: dir, QueueSize: 10, MaxDiskBytes: 1000})
	if err := r.Start(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(tmp); !os.IsNotExist(err) {
		t.Error("partial rotation left in place")
	}
	names, _ := ListZips(dir)
	// The leftover's zip is the newest; the cap keeps it and the newest
	// old zip that fits (400 bytes each, cap 1000).
	if len(names) != 2 || !strings.HasPrefix(names[0], "api-usage-data.dat.1002.") {
		t.Fatalf("after start: %v", names)
	}
	if got := zipLines(t, filepath.Join(dir, names[1])); len(got) != 1 || !strings.Contains(got[0], `"correlationID":"old"`) {
		t.Errorf("leftover zip holds %q", got)
	}
	if s := r.Stats(); s.DeletedFiles != 2 || s.DeletedBytes != 800 {
		t.Errorf("stats %+v", s)
	}
	_ = r.Close(context.Background())
}

// TestRecorderZipsRotationsLeftUnzipped checks that a data file rotated
// but not yet zipped when the gateway stopped (a crash during the
// background zip) is zipped at the next start, under its rotation's time.
func TestRecorderZipsRotationsLeftUnzipped(t *testing.T) {
	dir := t.TempDir()
	line := AppendLine(nil, &Event{Kind: KindRequest, CorrelationID: "rotated"})
	pending := filepath.Join(dir, strings.TrimSuffix(ZipName(time.UnixMilli(7000)), zipSuffix)+pendingSuffix)
	if err := os.WriteFile(pending, line, 0o600); err != nil {
		t.Fatal(err)
	}
	r, _ := NewRecorder(Options{Dir: dir, QueueSize: 10})
	if err := r.Start(); err != nil {
		t.Fatal(err)
	}
	defer r.Close(context.Background())
	names, _ := ListZips(dir)
	if len(names) != 1 || !strings.HasPrefix(names[0], "api-usage-data.dat.7000.") {
		t.Fatalf("zips after start: %v", names)
	}
	if got := zipLines(t, filepath.Join(dir, names[0])); len(got) != 1 || !strings.Contains(got[0], `"correlationID":"rotated"`) {
		t.Errorf("the zip holds %q", got)
	}
	if _, err := os.Stat(pending); !os.IsNotExist(err) {
		t.Errorf("the pending file is still there: %v", err)
	}
}
