package reports

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"
)

// maxTextErrors is how many kinds of error the terminal summary lists.
const maxTextErrors = 10

// WriteText writes the terminal summary of a load run, in the manner of
// vegeta report: what was attacked and how hard, what became of the
// requests, the latency percentiles, status codes and the most frequent
// errors, the propagation figures or the soak drift when the scenario
// has them, one line per SLO, and a verdict line such as
// "FAILED: 1 of 3 SLOs failed (p99<250ms)".
//
// Control characters in the summary's strings are shown escaped, so an
// error message cannot drive the terminal.
func (l *Load) WriteText(w io.Writer) error {
	var b bytes.Buffer
	l.writeTextHeader(&b)
	l.writeTextShards(&b)
	l.writeTextRate(&b)
	l.writeTextRequests(&b)
	writeTextPercentiles(&b, fmt.Sprintf("Latency (%s responses)", countText(l.Latency.Count)), l.Latency)
	l.writeTextStatus(&b)
	l.writeTextErrors(&b)
	if l.Propagation != nil {
		writeTextPropagation(&b, l.Propagation)
	}
	if l.Drift != nil {
		writeTextDrift(&b, l.Drift)
	}
	l.writeTextSLOs(&b)
	if l.Precision != "" {
		fmt.Fprintf(&b, "\nPercentiles: %s\n", oneLine(l.Precision))
	}
	fmt.Fprintf(&b, "\n%s: %s\n", l.verdict(), oneLine(l.verdictReasons()))
	if _, err := b.WriteTo(w); err != nil {
		return fmt.Errorf("write load summary: %w", err)
	}
	return nil
}

// textField writes one "  Name:       value" line.
func textField(b *bytes.Buffer, name, value string) {
	fmt.Fprintf(b, "  %-13s%s\n", name+":", oneLine(value))
}

// writeTextHeader writes what was attacked, with what, and when.
func (l *Load) writeTextHeader(b *bytes.Buffer) {
	b.WriteString(oneLine(l.title()))
	if l.Name != "" {
		b.WriteString(" (" + oneLine(l.Name) + ")")
	}
	b.WriteString("\n")
	textField(b, "Endpoint", l.Endpoint)
	textField(b, "Network", l.Network)
	if l.Livefyre != "" {
		textField(b, "Livefyre", l.Livefyre)
	}
	textField(b, "Users", countText(int64(l.Users)))
	textField(b, "Started", l.Started.UTC().Format(time.RFC3339))
	textField(b, "Duration", latencyText(l.PlannedMS)+" planned, "+latencyText(l.ElapsedMS)+" elapsed")
	textField(b, "Harness", l.HarnessVersion)
	if l.Shard != nil {
		textField(b, "Shard", fmt.Sprintf("%d/%d of run %s", l.Shard.Index, l.Shard.Count, l.Shard.Run))
	}
}

// writeTextShards lists the shards a merged report was merged from.
func (l *Load) writeTextShards(b *bytes.Buffer) {
	if len(l.Shards) == 0 {
		return
	}
	fmt.Fprintf(b, "\nShards (%d)\n", len(l.Shards))
	for _, s := range l.Shards {
		line := fmt.Sprintf("%d/%d %-8s", s.Index, s.Count, s.Status)
		if s.Dir != "" {
			line += fmt.Sprintf(" %s requests, %s users, %s", countText(s.Requests), countText(int64(s.Users)), s.Dir)
		}
		if s.Reason != "" {
			line = strings.TrimRight(line, " ") + ": " + s.Reason
		}
		b.WriteString("  " + oneLine(line) + "\n")
	}
}

// writeTextRate writes the rate asked for against the rate achieved.
func (l *Load) writeTextRate(b *bytes.Buffer) {
	b.WriteString("\nRate\n")
	textField(b, "Target", rateTargetText(l.Rate)+", "+workersText(l.Rate))
	textField(b, "Achieved", achievedText(l.Rate))
}

// writeTextRequests writes what became of the requests.
func (l *Load) writeTextRequests(b *bytes.Buffer) {
	r := l.Requests
	b.WriteString("\nRequests\n")
	textField(b, "Total", countText(r.Total))
	textField(b, "Valid", countText(r.Valid))
	textField(b, "Invalid", countText(r.Invalid))
	textField(b, "Transport", countText(r.TransportErrors)+" errors")
	textField(b, "Success", percentText(r.Success))
	textField(b, "Throughput", rateText(r.Throughput)+" valid")
	textField(b, "Bytes", bytesText(r.BytesIn)+" in, "+bytesText(r.BytesOut)+" out")
	if r.CPUPerValidMS > 0 {
		textField(b, "Harness CPU", latencyText(r.CPUPerValidMS)+" per valid response")
	}
}

// percentileNames head a row of percentiles.
var percentileNames = []string{"min", "mean", "p50", "p90", "p95", "p99", "p99.9", "max"}

// percentileValues are p's values in the order of percentileNames.
func percentileValues(p Percentiles) []float64 {
	return []float64{p.Min, p.Mean, p.P50, p.P90, p.P95, p.P99, p.P999, p.Max}
}

// writeTextPercentiles writes a heading and two aligned rows: the
// percentiles' names and their values.
func writeTextPercentiles(b *bytes.Buffer, heading string, p Percentiles) {
	fmt.Fprintf(b, "\n%s\n", heading)
	var names, values strings.Builder
	for i, v := range percentileValues(p) {
		text := latencyText(v)
		width := max(len(percentileNames[i]), len([]rune(text))) + 3
		fmt.Fprintf(&names, "%-*s", width, percentileNames[i])
		values.WriteString(text + strings.Repeat(" ", width-len([]rune(text))))
	}
	b.WriteString("  " + strings.TrimRight(names.String(), " ") + "\n")
	b.WriteString("  " + strings.TrimRight(values.String(), " ") + "\n")
}

// writeTextStatus writes one line per status code.
func (l *Load) writeTextStatus(b *bytes.Buffer) {
	rows := l.statusRows()
	if len(rows) == 0 {
		return
	}
	b.WriteString("\nStatus codes\n")
	width := 0
	for _, r := range rows {
		width = max(width, len([]rune(oneLine(r.Label))))
	}
	for _, r := range rows {
		label := oneLine(r.Label)
		fmt.Fprintf(b, "  %s%s  %10s  %8s\n", label, strings.Repeat(" ", width-len([]rune(label))),
			countText(int64(r.Count)), percentText(r.Share))
	}
}

// writeTextErrors writes the most frequent kinds of error, each with its
// count, class, kind and one example.
func (l *Load) writeTextErrors(b *bytes.Buffer) {
	rows := l.errorRows(maxTextErrors)
	if len(rows) == 0 {
		return
	}
	if len(l.Errors) > len(rows) {
		fmt.Fprintf(b, "\nErrors (the %d most frequent of %d kinds)\n", len(rows), len(l.Errors))
	} else {
		b.WriteString("\nErrors\n")
	}
	countW, classW, kindW := len("count"), len("class"), len("kind")
	for _, r := range rows {
		countW = max(countW, len(countText(r.Count)))
		classW = max(classW, len([]rune(oneLine(r.Class))))
		kindW = max(kindW, len([]rune(oneLine(r.Kind))))
	}
	row := func(count, class, kind, example string) {
		line := fmt.Sprintf("  %*s  %s  %s  %s", countW, count, pad(class, classW), pad(kind, kindW), example)
		b.WriteString(strings.TrimRight(line, " ") + "\n")
	}
	row("count", "class", "kind", "example")
	for _, r := range rows {
		row(countText(r.Count), oneLine(r.Class), oneLine(r.Kind), oneLine(r.Example))
	}
}

// pad pads s with spaces to width runes.
func pad(s string, width int) string {
	return s + strings.Repeat(" ", max(width-len([]rune(s)), 0))
}

// writeTextPropagation writes what became of the pings and how long
// their updates took.
func writeTextPropagation(b *bytes.Buffer, p *Propagation) {
	fmt.Fprintf(b, "\nPropagation (time scale %g: Livefyre's 10 minutes are %s)\n", p.TimeScale, latencyText(p.PromiseMS))
	textField(b, "Pings", fmt.Sprintf("%s sent, %s acknowledged (%s coalesced), %s rejected",
		countText(p.Pings), countText(p.Acknowledged), countText(p.Coalesced), countText(p.Rejected)))
	textField(b, "Outcome", fmt.Sprintf("%s updated, %s failed, %s lost",
		countText(p.Updated), countText(p.Failed), countText(p.Lost)))
	textField(b, "Promise", percentText(p.WithinPromise)+" updated within "+latencyText(p.PromiseMS))
	textField(b, "Visible", fmt.Sprintf("%s visible in the app within %s (the promise plus the bootstrap cadence), %s updated but not visible",
		percentText(p.WithinVisiblePromise), latencyText(p.VisiblePromiseMS), countText(p.NotVisible)))
	textField(b, "Pulls", fmt.Sprintf("%s started, %s succeeded, %s retried, %s failed",
		countText(p.Pulls.Started), countText(p.Pulls.Succeeded), countText(p.Pulls.Retried), countText(p.Pulls.Failed)))
	textField(b, "Queue", fmt.Sprintf("deepest %s pending, %s running",
		countText(p.MaxQueuePending), countText(p.MaxQueueRunning)))
	if p.Gaps > 0 {
		textField(b, "Gaps", gapsText(p.Gaps, p.Reconciled))
	}
	writeTextPercentiles(b, fmt.Sprintf("Ping to update (%s updates)", countText(p.Latency.Count)), p.Latency)
	writeTextPercentiles(b, fmt.Sprintf("Ping to visible (%s shown by a bootstrap refresh)", countText(p.Visible.Count)), p.Visible)
}

// gapsText says how often /events was cut off.
func gapsText(n int, reconciled int64) string {
	times := fmt.Sprintf("%d times", n)
	if n == 1 {
		times = "once"
	}
	return fmt.Sprintf("/events was cut off and reconnected %s; %d pings whose outcome fell in a gap were settled from the mock's sync records, and any it could not settle count as lost", times, reconciled)
}

// writeTextDrift writes how the soak run's last window compares with its
// first.
func writeTextDrift(b *bytes.Buffer, d *Drift) {
	fmt.Fprintf(b, "\nDrift (last %s window against the first)\n", latencyText(d.WindowMS))
	textField(b, "p99", ratioText(d.P99Ratio))
	textField(b, "Error rate", pointsText(d.ErrorRateDelta))
	textField(b, "Heap", signedText(d.HeapGrowthMB, 1, " MB"))
}

// writeTextSLOs writes one line per SLO: ✓ or ✗, the expression, the
// measured value, and for a failed one the message.
func (l *Load) writeTextSLOs(b *bytes.Buffer) {
	b.WriteString("\nSLOs\n")
	if len(l.SLOs) == 0 {
		b.WriteString("  none set\n")
		return
	}
	exprW, valueW := 0, 0
	for _, s := range l.SLOs {
		exprW = max(exprW, len([]rune(oneLine(s.Expr))))
		valueW = max(valueW, len([]rune(oneLine(sloValueText(s)))))
	}
	for _, s := range l.SLOs {
		mark, msg := "✓", ""
		if !s.Passed {
			mark, msg = "✗", oneLine(s.Message)
		}
		line := fmt.Sprintf("  %s  %s  %s  %s", mark, pad(oneLine(s.Expr), exprW), pad(oneLine(sloValueText(s)), valueW), msg)
		b.WriteString(strings.TrimRight(line, " ") + "\n")
	}
}
