package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"time"

	"p4p/refapp"
)

// followersTarget is the documented floor of the pull rate with 500
// /events followers reading, as a fraction of the rate with none.
const followersTarget = 0.5

// followersRun is the pull rate with and without /events followers, on
// one mock, measured in turn.
type followersRun struct {
	followers    int
	pulls        int     // per measurement
	none, loaded float64 // pulls/s
	read         int64   // bytes all the followers read while loaded
}

func (f *followersRun) ratio() float64 { return f.loaded / f.none }

// benchFollowers measures completed pulls per second on one mock with no
// /events follower, then with c.followers reading every event, then with
// none again, and reports the loaded rate over the mean of the two
// unloaded ones. The followers run in a process of their own (readers)
// and read raw bytes into a reused buffer, so that what they cost this
// process's endpoint and pings is only the CPU they share, as any other
// process on the machine would.
func benchFollowers(ctx context.Context, c config, r *report) error {
	n := c.followerPulls
	users := refapp.SyntheticUsers(3 * n)
	m, p, err := pipeline(ctx, c, users)
	if err != nil {
		return err
	}
	defer m.stop()
	defer p.Close()
	client := p.Livefyre()
	done := 0
	rate := func(batch int) (float64, error) {
		start := time.Now()
		if err := pingUsers(ctx, client, users[batch*n:(batch+1)*n], 64, 0); err != nil {
			return 0, err
		}
		done += n
		if err := awaitPulls(ctx, m.url, done); err != nil {
			return 0, err
		}
		return float64(n) / time.Since(start).Seconds(), nil
	}
	before, err := rate(0)
	if err != nil {
		return err
	}
	rd, err := startReaders(ctx, m.url, c.followers)
	if err != nil {
		return err
	}
	loaded, err := rate(1)
	read, stopErr := rd.stop()
	if err = cmp.Or(err, stopErr); err != nil {
		return err
	}
	after, err := rate(2)
	if err != nil {
		return err
	}
	r.followers = &followersRun{followers: c.followers, pulls: n, none: (before + after) / 2, loaded: loaded, read: read}
	return nil
}

// awaitPulls waits until the mock counts want pulls succeeded.
func awaitPulls(ctx context.Context, url string, want int) error {
	for {
		ok, failed, err := pullCounts(ctx, url)
		switch {
		case err != nil:
			return err
		case failed > 0:
			return fmt.Errorf("%d pulls failed", failed)
		case ok >= want:
			return nil
		case ctx.Err() != nil:
			return fmt.Errorf("%d of %d pulls done: %w", ok, want, ctx.Err())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (f *followersRun) write(w io.Writer) {
	fmt.Fprintln(w, "| figure | with followers | none (same run, before and after) | ratio | target | met |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|")
	fmt.Fprintf(w, "| completed pulls/s with %d `/events` followers reading (%d pulls each; each follower read %.1f MB) | %.0f | %.0f | %.2f× | ≥ %.1f× | %s |\n\n",
		f.followers, f.pulls, float64(f.read)/float64(f.followers)/1e6, f.loaded, f.none, f.ratio(), followersTarget, yes(f.ratio() >= followersTarget))
}
