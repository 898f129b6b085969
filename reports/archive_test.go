package reports

import "testing"

func TestArchiveRoot(t *testing.T) {
	tests := []struct{ dir, want string }{
		{"out/run-7", "run-7"},
		{"out/run-7/", "run-7"},
		{"/", "results"},
	}
	for _, tt := range tests {
		if got := archiveRoot(tt.dir); got != tt.want {
			t.Errorf("archiveRoot(%q): got %q, want %q", tt.dir, got, tt.want)
		}
	}
}
