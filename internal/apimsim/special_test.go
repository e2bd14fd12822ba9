package apimsim

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func listPath(label string) string {
	return publisherBase + "/apis?query=label:" + label + "%20status:PUBLISHED&expand=true&limit=500"
}

func TestFlakyLabelFailsTwiceThenWorks(t *testing.T) {
	s := startSim(t, Options{})
	tok := s.adminToken()
	for i := 1; i <= 2; i++ {
		resp, body := s.get(listPath(labelFlaky), tok)
		wantStatus(t, resp, body, http.StatusServiceUnavailable)
	}
	for i := 0; i < 2; i++ {
		resp, body := s.get(listPath(labelFlaky), tok)
		wantStatus(t, resp, body, http.StatusOK)
		var l apiListAny
		decode(t, body, &l)
		if l.Count != 3 {
			t.Errorf("flaky label has %d APIs, want 3", l.Count)
		}
	}
	// Other labels are not affected, and a new server starts counting again.
	if resp, body := s.get(listPath("demo"), tok); resp.StatusCode != http.StatusOK {
		t.Errorf("demo: %d %s", resp.StatusCode, body)
	}
	fresh := startSim(t, Options{})
	if resp, _ := fresh.get(listPath(labelFlaky), fresh.adminToken()); resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("a new server must fail again, got %d", resp.StatusCode)
	}
}

func TestDropLabelClosesFirstConnection(t *testing.T) {
	s := startSim(t, Options{})
	tok := s.adminToken()
	req, _ := http.NewRequest(http.MethodGet, s.base+listPath(labelDrop), nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	// A fresh connection: Go's transport silently retries a GET that fails
	// on a reused keep-alive connection.
	resp, err := s.srv.Client().Do(req)
	if err == nil {
		resp.Body.Close()
		t.Fatalf("first drop request got status %d, want a closed connection", resp.StatusCode)
	}
	if !errors.Is(err, io.EOF) && !strings.Contains(err.Error(), "EOF") && !strings.Contains(err.Error(), "reset") {
		t.Errorf("error = %v, want the connection closed", err)
	}
	resp2, body := s.get(listPath(labelDrop), tok)
	wantStatus(t, resp2, body, http.StatusOK)
}

func TestSlowLabelStopsWhenClientGoesAway(t *testing.T) {
	s := startSim(t, Options{})
	tok := s.adminToken()
	ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.base+listPath(labelSlow), nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	start := time.Now()
	resp, err := s.hc.Do(req)
	if err == nil {
		resp.Body.Close()
		t.Fatalf("slow request answered %d within %v", resp.StatusCode, time.Since(start))
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error = %v, want the client's deadline", err)
	}
	// Close must not wait for the 30 s sleep.
	closed := make(chan error, 1)
	go func() { closed <- s.srv.Close() }()
	select {
	case err := <-closed:
		if err != nil {
			t.Errorf("Close: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Close waited for the slow request")
	}
}

func TestSlowLabelAnswersAfterDelay(t *testing.T) {
	s := startSim(t, Options{SlowDelay: 50 * time.Millisecond})
	start := time.Now()
	resp, body := s.get(listPath(labelSlow), s.adminToken())
	wantStatus(t, resp, body, http.StatusOK)
	if d := time.Since(start); d < 50*time.Millisecond {
		t.Errorf("answered after %v, before the delay", d)
	}
}

func TestBrokenJSONLabel(t *testing.T) {
	s := startSim(t, Options{})
	resp, body := s.get(listPath(labelBrokenJSON), s.adminToken())
	wantStatus(t, resp, body, http.StatusOK)
	if json.Valid(body) || len(body) == 0 {
		t.Errorf("body is valid JSON: %s", body)
	}
}

func TestBadDefinitionAndEndpointLabels(t *testing.T) {
	s := startSim(t, Options{})
	tok := s.adminToken()
	for _, tc := range []struct {
		label, broken string
		field         func(a apiListAny, i int) string
	}{
		{labelBadDefinition, BrokenDefinitionAPI, func(l apiListAny, i int) string { return l.List[i].APIDefinition }},
		{labelBadEndpoint, BrokenEndpointAPI, func(l apiListAny, i int) string { return l.List[i].EndpointConfig }},
	} {
		l := s.list(tok, "label:"+tc.label, map[string][]string{"expand": {"true"}})
		if l.Count != 2 {
			t.Fatalf("%s: %v", tc.label, names(l.List))
		}
		for i, a := range l.List {
			valid := json.Valid([]byte(tc.field(l, i)))
			if broken := a.Name == tc.broken; broken == valid {
				t.Errorf("%s: API %s: JSON valid = %v", tc.label, a.Name, valid)
			}
		}
	}
}

func TestHostileLabelKeepsStringsIntact(t *testing.T) {
	s := startSim(t, Options{})
	l := s.list(s.adminToken(), "label:hostile", map[string][]string{"expand": {"true"}})
	var all strings.Builder
	for _, a := range l.List {
		all.WriteString(a.Name + a.Context + a.Version + a.Description + a.APIDefinition + a.EndpointConfig + a.AuthorizationHeader)
	}
	for _, want := range []string{"\"", "`", "\\", "\n", "*/", "}", "%", "{{", "Ü", "func", "package", "../", "\r\n"} {
		if !strings.Contains(all.String(), want) {
			t.Errorf("hostile label lacks %q", want)
		}
	}
}
