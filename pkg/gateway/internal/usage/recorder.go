package usage

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// Options configure a Recorder.
type Options struct {
	// Dir is the folder of api-usage-data.dat and the rotated zips.
	Dir string
	// RotatePeriod rotates the data file this often (if it has data);
	// 0 disables time-based rotation.
	RotatePeriod time.Duration
	// RotateSize rotates the data file once it reaches this many bytes;
	// 0 disables size-based rotation.
	RotateSize int64
	// QueueSize is the number of events that may wait for the writer.
	QueueSize int
	// MaxDiskBytes bounds the total size of the rotated zips: the oldest
	// go first. 0 means no bound.
	MaxDiskBytes int64
	// Log receives write and rotation errors; nil discards them.
	Log *slog.Logger
}

// Stats are a Recorder's counters.
type Stats struct {
	// Recorded counts events the queue accepted, Dropped those it refused
	// (queue full, or recorded after Close).
	Recorded, Dropped uint64
	// Written counts lines written; Lost counts accepted events that a
	// write error lost.
	Written, Lost uint64
	// Rotations counts zips made; DeletedFiles and DeletedBytes what the
	// disk cap removed.
	Rotations, DeletedFiles, DeletedBytes uint64
	// Queued is the current queue length.
	Queued int
}

// Recorder writes events to the usage data file from one goroutine. Create
// it with NewRecorder; it starts on Start or the first Record.
type Recorder struct {
	opts  Options
	log   *slog.Logger
	queue chan *Event
	pool  sync.Pool

	startOnce sync.Once
	startErr  error
	started   atomic.Bool
	closed    atomic.Bool
	sending   atomic.Int64 // Record calls between the closed check and the send
	stop      chan struct{}
	done      chan struct{}
	closeOnce sync.Once
	zipMu     sync.Mutex     // one zip at a time
	zips      sync.WaitGroup // zips made in the background

	recorded, dropped, written, lost  atomic.Uint64
	rotations, deletedFiles, deletedB atomic.Uint64

	// Owned by the writer goroutine (or by Start before it runs).
	f       *os.File
	bw      *bufio.Writer
	size    int64
	line    []byte
	lastErr time.Time
}

// NewRecorder checks opts and prepares a Recorder; nothing touches the
// disk until Start.
func NewRecorder(opts Options) (*Recorder, error) {
	if opts.Dir == "" {
		return nil, errors.New("usage: no folder for usage data")
	}
	if opts.QueueSize < 1 {
		return nil, fmt.Errorf("usage: queue size %d must be at least 1", opts.QueueSize)
	}
	log := opts.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	r := &Recorder{
		opts:  opts,
		log:   log,
		queue: make(chan *Event, opts.QueueSize),
		stop:  make(chan struct{}),
		done:  make(chan struct{}),
	}
	r.pool.New = func() any { return new(Event) }
	return r, nil
}

// Event returns a zeroed event to fill and pass to Record.
func (r *Recorder) Event() *Event {
	return r.pool.Get().(*Event)
}

// Record queues e without blocking; it reports false, and counts a drop,
// when the queue is full or the recorder is closed. e belongs to the
// recorder afterwards.
func (r *Recorder) Record(e *Event) bool {
	if !r.started.Load() {
		_ = r.Start()
	}
	r.sending.Add(1)
	defer r.sending.Add(-1)
	if r.closed.Load() {
		r.dropped.Add(1)
		return false
	}
	select {
	case r.queue <- e:
		r.recorded.Add(1)
		return true
	default:
		r.dropped.Add(1)
		return false
	}
}

// Start creates the folder, rotates a data file left by an earlier run and
// starts the writer. It is idempotent; on error the recorder accepts
// events until its queue is full and drops the rest.
func (r *Recorder) Start() error {
	r.startOnce.Do(func() {
		defer r.started.Store(true)
		if err := os.MkdirAll(r.opts.Dir, 0o750); err != nil {
			r.startErr = fmt.Errorf("usage: create the folder %s: %w", r.opts.Dir, err)
			close(r.done)
			return
		}
		removeTemps(r.opts.Dir)
		if err := r.zipLeftovers(); err != nil {
			r.log.Error("analytics: cannot zip the usage files an earlier run rotated", "error", err)
		}
		if err := r.rotate(false); err != nil {
			r.log.Error("analytics: cannot rotate the usage file of an earlier run", "error", err)
		}
		go r.run()
	})
	return r.startErr
}

// Close stops accepting events, writes every queued event, rotates the
// data file into a zip and stops the writer. It returns early with the
// context's error if ctx ends first.
func (r *Recorder) Close(ctx context.Context) error {
	if err := r.Start(); err != nil {
		return err
	}
	r.closed.Store(true)
	// Wait for Record calls that passed the closed check to finish
	// sending, so the writer's final drain sees their events.
	for r.sending.Load() > 0 {
		if ctx.Err() != nil {
			return fmt.Errorf("usage: close: %w", ctx.Err())
		}
		time.Sleep(100 * time.Microsecond)
	}
	r.closeOnce.Do(func() { close(r.stop) })
	select {
	case <-r.done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("usage: close: events still being written: %w", ctx.Err())
	}
}

// Stats returns the counters.
func (r *Recorder) Stats() Stats {
	return Stats{
		Recorded: r.recorded.Load(), Dropped: r.dropped.Load(),
		Written: r.written.Load(), Lost: r.lost.Load(),
		Rotations: r.rotations.Load(), DeletedFiles: r.deletedFiles.Load(), DeletedBytes: r.deletedB.Load(),
		Queued: len(r.queue),
	}
}

// batchInterval is how often the writer takes the queued events; the
// queue must hold what arrives in that time (QueueSize 10000 is 200000
// events a second).
const batchInterval = 50 * time.Millisecond

// run is the writer goroutine.
func (r *Recorder) run() {
	defer close(r.done)
	var tick <-chan time.Time
	if r.opts.RotatePeriod > 0 {
		t := time.NewTicker(r.opts.RotatePeriod)
		defer t.Stop()
		tick = t.C
	}
	// The writer wakes up every batchInterval rather than per event: one
	// write per batch, and no wake-up per request on the request path.
	batch := time.NewTicker(batchInterval)
	defer batch.Stop()
	for {
		select {
		case <-batch.C:
			r.drain()
		case <-tick:
			r.drain()
			r.rotateLogged(true)
		case <-r.stop:
			r.drain()
			r.rotateLogged(false)
			r.zips.Wait()
			return
		}
	}
}

// drain writes whatever is queued, then flushes.
func (r *Recorder) drain() {
	for {
		select {
		case e := <-r.queue:
			r.write(e)
			continue
		default:
		}
		break
	}
	r.flush()
}

// write appends one event to the data file, rotating it by size.
func (r *Recorder) write(e *Event) {
	r.line = AppendLine(r.line[:0], e)
	*e = Event{}
	r.pool.Put(e)
	if r.f == nil {
		if err := r.open(); err != nil {
			r.lost.Add(1)
			r.logError("analytics: cannot open the usage file; the event is lost", err)
			return
		}
	}
	if _, err := r.bw.Write(r.line); err != nil {
		r.lost.Add(1)
		r.logError("analytics: cannot write the usage file; the event is lost", err)
		_ = r.closeFile() // reopened for the next event
		return
	}
	r.size += int64(len(r.line))
	r.written.Add(1)
	if r.opts.RotateSize > 0 && r.size >= r.opts.RotateSize {
		r.rotateLogged(true)
	}
}

func (r *Recorder) flush() {
	if r.f == nil {
		return
	}
	if err := r.bw.Flush(); err != nil {
		r.logError("analytics: cannot write the usage file", err)
		_ = r.closeFile() // reopened for the next event
	}
}

// logError logs at most one error a second, so a full disk does not
// flood the log.
func (r *Recorder) logError(msg string, err error) {
	if now := time.Now(); now.Sub(r.lastErr) >= time.Second {
		r.lastErr = now
		r.log.Error(msg, "error", err)
	}
}

func (r *Recorder) rotateLogged(later bool) {
	if err := r.rotate(later); err != nil {
		r.logError("analytics: cannot rotate the usage file", err)
	}
}
