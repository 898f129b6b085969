package load

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"p4p/reports"
)

// FuzzReadShardFile: no shard file panics the reader or the merge of
// what it accepts, or makes them allocate without bound.
func FuzzReadShardFile(f *testing.F) {
	good, err := os.ReadFile(filepath.Join("testdata", "shard", ShardFile))
	if err != nil {
		f.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join("testdata", "shard", "summary.json"))
	if err != nil {
		f.Fatal(err)
	}
	summary, err := reports.ReadLoad(bytes.NewReader(b))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add(bytes.Replace(good, []byte(`"counts":[[`), []byte(`"counts":[[99999999,1],[`), 1))
	f.Add(bytes.Replace(good, []byte(`"highest":`), []byte(`"highest":9`), 1))
	f.Add(bytes.Replace(good, []byte(`"started":"2026`), []byte(`"started":"0001`), 1))
	f.Add([]byte(`{"format":1}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		rec, err := readShardFile(bytes.NewReader(data))
		if err != nil {
			return
		}
		l, err := merged([]shardInput{{dir: "shard", rec: rec, sum: summary}}, Options{})
		if err == nil && l.Requests.Total != rec.Requests.Total {
			t.Fatalf("merged %d requests of one shard's %d", l.Requests.Total, rec.Requests.Total)
		}
	})
}
