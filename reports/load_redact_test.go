package reports

import (
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// eachString calls f with every string in v: fields, slice elements,
// and map keys and values, through pointers.
func eachString(v reflect.Value, f func(string)) {
	switch v.Kind() {
	case reflect.String:
		f(v.String())
	case reflect.Pointer:
		if !v.IsNil() {
			eachString(v.Elem(), f)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				eachString(v.Field(i), f)
			}
		}
	case reflect.Slice:
		for i := range v.Len() {
			eachString(v.Index(i), f)
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			eachString(k, f)
			eachString(v.MapIndex(k), f)
		}
	}
}

func TestLoadRedactReachesEveryString(t *testing.T) {
	const secret = "s3cr3t+key/="
	l := samplePropagation()
	l.Drift = &Drift{}
	l.Files = []string{"results.bin"}
	setLoadStrings(l, "before "+secret+" after")
	before := loadCodec.clone(t, l)
	r := l.Redact(secret)
	n := 0
	eachString(reflect.ValueOf(r), func(s string) {
		n++
		if s != "before [redacted] after" {
			t.Errorf("got string %q after redaction, want \"before [redacted] after\"", s)
		}
	})
	if n < 30 {
		t.Errorf("got %d strings, want at least 30", n)
	}
	if diff := cmp.Diff(before, l); diff != "" {
		t.Errorf("Redact changed its receiver (-before +after):\n%s", diff)
	}
}

func TestLoadRedactIsDeep(t *testing.T) {
	l := samplePropagation()
	l.Drift = &Drift{P99Ratio: 1.5}
	before := loadCodec.clone(t, l)
	r := l.Redact("secret")
	r.Failures[0] = "changed"
	r.Status["200"] = -1
	r.Errors[0].Count = -1
	r.Histogram[0].Count = -1
	r.Series[0].P99 = -1
	r.SLOs[0].Value = -1
	r.Propagation.Lost = -1
	r.Propagation.Histogram[0].Count = -1
	r.Drift.P99Ratio = -1
	if diff := cmp.Diff(before, l); diff != "" {
		t.Errorf("changing the redacted copy changed the original (-before +after):\n%s", diff)
	}
}

func TestLoadRedactKeepsShape(t *testing.T) {
	tests := []struct {
		name string
		load *Load
	}{
		{"sample", samplePropagation()},
		{"empty slices", &Load{Scenario: "pull", Failures: []string{}, Status: map[string]int{}, Errors: []ErrorCount{},
			Histogram: []Bucket{}, Series: []Window{}, SLOs: []SLOResult{}, Files: []string{},
			Propagation: &Propagation{Histogram: []Bucket{}}}},
		{"nil everything", &Load{Scenario: "pull"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.load, tt.load.Redact("no such secret")); diff != "" {
				t.Errorf("Redact without a match changed the run (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLoadRedactMergesStatusKeys(t *testing.T) {
	l := &Load{Scenario: "pull", Status: map[string]int{"200": 5, "20K": 2, "20Q": 3}}
	got := l.Redact("K", "Q").Status
	want := map[string]int{"200": 5, "20[redacted]": 5}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("status codes (-want +got):\n%s", diff)
	}
}
