package mockserver

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"p4p/livefyre"
)

// TestEncodeJob: encodeJob writes what json.Marshal writes, which the
// mover and the workers read back with json.Unmarshal.
func TestEncodeJob(t *testing.T) {
	now := time.Now() // with a monotonic reading, which JSON leaves out
	east := time.FixedZone("east", 5*3600+30*60)
	tests := []job{
		{UserID: "u-1", PingedAt: now, Due: now.Add(time.Hour)},
		{UserID: "a.b_C-9", PingedAt: now.In(east), Due: now.In(east), PullID: "18446744073709551615"},
		{UserID: "x", PullID: "7"}, // zero times
		{UserID: "<&>", PingedAt: now, Due: now},
		{UserID: "é\"\\\n", PingedAt: now, Due: now, PullID: "<1>"},
		{UserID: "y", PingedAt: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}, // json.Marshal refuses it
	}
	for _, j := range tests {
		checkEncodeJob(t, j)
	}
}

func checkEncodeJob(t *testing.T, j job) {
	t.Helper()
	want, wantErr := json.Marshal(j)
	got, err := encodeJob(j)
	if (err != nil) != (wantErr != nil) {
		t.Fatalf("encodeJob(%+v) error %v, want %v", j, err, wantErr)
	}
	if err == nil && !bytes.Equal(got, want) {
		t.Errorf("encodeJob(%+v)\n got %s\nwant %s", j, got, want)
	}
}

func FuzzEncodeJob(f *testing.F) {
	f.Add("u-1", int64(1_700_000_000_000_000_000), int64(3600_000_000_000), "42", 0)
	f.Add("<a&b>", int64(-62135596800_000_000_0), int64(0), "", 19800)
	f.Fuzz(func(t *testing.T, user string, pinged, delay int64, pullID string, zone int) {
		loc := time.FixedZone("z", zone%(18*3600))
		p := time.Unix(0, pinged).In(loc)
		checkEncodeJob(t, job{UserID: user, PingedAt: p, Due: p.Add(time.Duration(delay)), PullID: pullID})
	})
}

// TestRespondPing: a ping's answer is written byte for byte as respond
// writes it, headers included.
func TestRespondPing(t *testing.T) {
	for _, res := range []livefyre.PingResult{
		{UserID: "u-1", PullID: "1"},
		{UserID: "a.b_C-9", PullID: "18446744073709551615", Coalesced: true},
		{UserID: "<&>", PullID: "2"},
	} {
		want, got := httptest.NewRecorder(), httptest.NewRecorder()
		respond(want, http.StatusOK, res)
		respondPing(got, res)
		if got.Code != want.Code || got.Body.String() != want.Body.String() {
			t.Errorf("respondPing(%+v) = %d %q, want %d %q", res, got.Code, got.Body, want.Code, want.Body)
		}
		if diff := cmp.Diff(want.Header(), got.Header()); diff != "" {
			t.Errorf("respondPing(%+v) headers (-want +got):\n%s", res, diff)
		}
	}
}
