package load

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// Limits of what the lean client reads from an endpoint besides the body.
const (
	maxHeaderLine = 16 << 10 // bytes of a status or header line
	maxHeaders    = 128      // header lines of one response
	maxInterim    = 8        // 1xx responses before the final one
)

// endpoint is where the lean client sends a run's pulls: one origin, over
// HTTP/1.1 on plain TCP or TLS. It is built once from the Pull URL; every
// target must be on its origin.
type endpoint struct {
	prefix  string // scheme://[userinfo@]host[:port], as the targets begin
	addr    string // host:port to dial
	host    string // the Host header
	auth    string // the Authorization header for user info, or ""
	tls     *tls.Config
	timeout time.Duration // per request, dialling included (0: none)
	maxBody int64         // body bytes kept; the rest is read and dropped
	dialer  net.Dialer
}

// errOrigin is a target off the run's origin, which the lean client does
// not send.
var errOrigin = errors.New("target not on the Pull URL's origin")

// newEndpoint is the endpoint of a Pull URL (its template filled in).
func newEndpoint(pullURL string, timeout time.Duration, maxBody int64) (*endpoint, error) {
	u, err := url.Parse(pullURL)
	if err != nil {
		return nil, errors.New("not a URL") // its error would quote the token
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return nil, fmt.Errorf("%s: not an http or https URL", u.Redacted())
	}
	e := &endpoint{host: u.Host, timeout: timeout, maxBody: maxBody,
		dialer: net.Dialer{Timeout: timeout, KeepAlive: 30 * time.Second}}
	e.prefix = pullURL[:len(u.Scheme)+3]
	if rest := pullURL[len(e.prefix):]; true {
		e.prefix += rest[:strings.IndexAny(rest+"/", "/?#")]
	}
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
	}
	e.addr = net.JoinHostPort(u.Hostname(), port)
	if u.Scheme == "https" {
		e.tls = &tls.Config{ServerName: u.Hostname(), NextProtos: []string{"http/1.1"}}
	}
	if u.User != nil {
		pass, _ := u.User.Password()
		e.auth = "Basic " + base64.StdEncoding.EncodeToString([]byte(u.User.Username()+":"+pass))
	}
	return e, nil
}

// conn is one worker's connection, kept alive from one request to the
// next, with buffers reused: a result's Body and Headers hold only until
// the worker's next request.
type conn struct {
	e       *endpoint
	c       net.Conn
	r       *bufio.Reader
	req     []byte
	body    []byte
	header  http.Header
	ctype   []string // header's Content-Type value, reused while it repeats
	reused  bool     // c has carried a request before
	discard bool     // close after each response (beyond the idle limit)
}

func (e *endpoint) conn(keep bool) *conn {
	return &conn{e: e, header: http.Header{}, ctype: make([]string, 1), discard: !keep}
}

func (c *conn) close() {
	if c.c != nil {
		c.c.Close()
		c.c, c.reused = nil, false
	}
}

// do sends GET target and reads the answer into res (Code, Body, Headers,
// BytesIn), or returns why there is none. A request on a kept-alive
// connection that the endpoint closed before answering is sent once more
// on a new one, as net/http does for a GET.
func (c *conn) do(ctx context.Context, target string, res *vegeta.Result) error {
	uri, ok := strings.CutPrefix(target, c.e.prefix)
	if !ok {
		return errOrigin
	}
	if i := strings.IndexByte(uri, '#'); i >= 0 {
		uri = uri[:i]
	}
	if uri == "" || uri[0] != '/' {
		uri = "/" + uri
	}
	c.request(uri)
	var deadline time.Time
	if c.e.timeout > 0 {
		deadline = time.Now().Add(c.e.timeout)
	}
	for {
		reused := c.reused
		read, err := c.roundTrip(ctx, deadline, res)
		if err == nil {
			if c.discard {
				c.close()
			}
			return nil
		}
		c.close()
		if !reused || read || ctx.Err() != nil || isTimeout(err) {
			return err
		}
	}
}

// request writes the request into c.req.
func (c *conn) request(uri string) {
	b := append(c.req[:0], "GET "...)
	b = append(b, uri...)
	b = append(b, " HTTP/1.1\r\nHost: "...)
	b = append(b, c.e.host...)
	b = append(b, "\r\nUser-Agent: Go-http-client/1.1\r\n"...)
	if c.e.auth != "" {
		b = append(b, "Authorization: "...)
		b = append(b, c.e.auth...)
		b = append(b, "\r\n"...)
	}
	c.req = append(b, "\r\n"...)
}

// roundTrip sends c.req and reads the response; read says whether any
// byte of it came.
func (c *conn) roundTrip(ctx context.Context, deadline time.Time, res *vegeta.Result) (read bool, err error) {
	if c.c == nil {
		if err := c.dial(ctx, deadline); err != nil {
			return false, err
		}
	}
	c.reused = true
	if err := c.c.SetDeadline(deadline); err != nil {
		return false, err
	}
	if _, err := c.c.Write(c.req); err != nil {
		return false, err
	}
	if _, err := c.r.Peek(1); err != nil {
		return false, err
	}
	keep, err := c.readResponse(res)
	if err == nil && !keep {
		c.close()
	}
	return true, err
}

func (c *conn) dial(ctx context.Context, deadline time.Time) error {
	if !deadline.IsZero() {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, deadline)
		defer cancel()
	}
	nc, err := c.e.dialer.DialContext(ctx, "tcp", c.e.addr)
	if err != nil {
		return err
	}
	if c.e.tls != nil {
		tc := tls.Client(nc, c.e.tls)
		if err := tc.HandshakeContext(ctx); err != nil {
			nc.Close()
			return err
		}
		nc = tc
	}
	c.c = nc
	if c.r == nil {
		c.r = bufio.NewReaderSize(nc, maxHeaderLine)
	} else {
		c.r.Reset(nc)
	}
	return nil
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// readResponse reads one response from c.r into res, and says whether
// the connection may carry another request.
func (c *conn) readResponse(res *vegeta.Result) (keep bool, err error) {
	var h head
	for interim := 0; ; interim++ {
		if h, err = readHead(c.r, c.ctype[0]); err != nil {
			return false, err
		}
		if h.code >= 200 || h.code == 101 {
			break
		}
		if interim == maxInterim {
			return false, errors.New("too many 1xx responses")
		}
	}
	if h.code == 101 {
		return false, errors.New("unexpected 101 Switching Protocols")
	}
	res.Code = uint16(h.code)
	clear(c.header)
	if h.contentType != "" {
		if c.ctype[0] != h.contentType {
			c.ctype = []string{h.contentType}
		}
		c.header["Content-Type"] = c.ctype
	}
	c.ctype[0] = h.contentType // "" if none: not carried to the next
	res.Headers = c.header
	var delimited bool
	c.body, delimited, err = readBody(c.r, h, c.body[:0], c.e.maxBody)
	if err != nil {
		return false, err
	}
	res.Body, res.BytesIn = c.body, uint64(len(c.body))
	if res.Code < 200 || res.Code >= 400 {
		res.Error = h.status
	}
	return h.keepAlive && delimited, nil
}

// head is what the lean client reads of a response's status line and
// header.
type head struct {
	code          int
	status        string // "404 Not Found", as net/http's Response.Status
	contentType   string
	contentLength int64 // -1 if not given
	// lastContentType is the connection's last answer's, kept instead of
	// a new string when this one's is the same.
	lastContentType string
	chunked         bool
	keepAlive       bool
	typed           bool // a Content-Type was read: the first one counts, as net/http's Header.Get reads it
}

var errMalformed = errors.New("malformed HTTP response")

// readHead reads a status line and the header after it.
func readHead(r *bufio.Reader, lastContentType string) (head, error) {
	h := head{contentLength: -1, lastContentType: lastContentType}
	line, err := readLine(r)
	if err != nil {
		return h, err
	}
	proto, status, ok := bytes.Cut(line, []byte(" "))
	minorb, isHTTP1 := bytes.CutPrefix(proto, []byte("HTTP/1."))
	minor := string(minorb)
	if !ok || !isHTTP1 || len(minor) != 1 || (minor != "0" && minor != "1") || len(status) < 3 || !isDigits(string(status[:3])) ||
		len(status) > 3 && status[3] != ' ' {
		return h, fmt.Errorf("%w: status line %q", errMalformed, clipLine(line))
	}
	h.code = int(status[0]-'0')*100 + int(status[1]-'0')*10 + int(status[2]-'0')
	if h.code < 100 {
		return h, fmt.Errorf("%w: status %q", errMalformed, status[:3])
	}
	h.status = "200 OK"
	if string(status) != h.status {
		h.status = string(status)
	}
	h.keepAlive = minor == "1"
	for n := 0; ; n++ {
		line, err := readLine(r)
		if err != nil {
			return h, err
		}
		if len(line) == 0 {
			break
		}
		if n == maxHeaders {
			return h, fmt.Errorf("%w: over %d header lines", errMalformed, maxHeaders)
		}
		if err := h.field(line); err != nil {
			return h, err
		}
	}
	if minor == "0" {
		h.chunked = false // as net/http reads HTTP/1.0
	}
	if h.code/100 == 1 || h.code == 204 || h.code == 304 {
		h.contentLength, h.chunked = 0, false
	}
	return h, nil
}

// field reads one header line into h.
func (h *head) field(line []byte) error {
	i := bytes.IndexByte(line, ':')
	if i <= 0 || line[0] == ' ' || line[0] == '\t' {
		return fmt.Errorf("%w: header line %q", errMalformed, clipLine(line))
	}
	name, value := line[:i], bytes.Trim(line[i+1:], " \t") // strings only where kept: no allocation per line
	switch {
	case strings.EqualFold(string(name), "Content-Type"):
		if h.typed {
			break
		}
		h.typed = true
		h.contentType = h.lastContentType
		if string(value) != h.contentType {
			h.contentType = string(value)
		}
	case strings.EqualFold(string(name), "Content-Length"):
		n, ok := parseLength(string(value))
		if !ok || h.contentLength >= 0 && h.contentLength != n {
			return fmt.Errorf("%w: Content-Length %q", errMalformed, clipLine(value))
		}
		h.contentLength = n
	case strings.EqualFold(string(name), "Transfer-Encoding"):
		if !strings.EqualFold(string(value), "chunked") {
			return fmt.Errorf("unsupported Transfer-Encoding %q", clipLine(value))
		}
		h.chunked = true
	case strings.EqualFold(string(name), "Connection"):
		for tok := range strings.SplitSeq(string(value), ",") {
			switch tok = strings.TrimSpace(tok); {
			case strings.EqualFold(tok, "close"):
				h.keepAlive = false
			case strings.EqualFold(tok, "keep-alive"):
				h.keepAlive = true
			}
		}
	}
	return nil
}

// readBody reads the body h announces, keeping at most max bytes of it
// in buf and reading the rest to nothing, as Vegeta does; delimited says
// whether it ended before the connection did.
func readBody(r *bufio.Reader, h head, buf []byte, max int64) (_ []byte, delimited bool, err error) {
	switch {
	case h.chunked:
		buf, err = readChunked(r, buf, max)
		return buf, true, err
	case h.contentLength >= 0:
		buf, err = readSized(&io.LimitedReader{R: r, N: h.contentLength}, buf, max)
		return buf, true, err
	}
	buf, err = readSized(&io.LimitedReader{R: r, N: 1<<63 - 1}, buf, max)
	return buf, false, err
}

// readSized reads src to its end, keeping at most max bytes in buf, and
// fails if the connection ends before src does.
func readSized(src *io.LimitedReader, buf []byte, max int64) ([]byte, error) {
	limited := src.N < 1<<63-1
	buf, err := appendLimited(buf, src, max-int64(len(buf)))
	if err == nil {
		_, err = io.Copy(io.Discard, src)
	}
	if err == nil && limited && src.N > 0 {
		err = io.ErrUnexpectedEOF
	}
	return buf, err
}

// readChunked reads a chunked body and its trailer.
func readChunked(r *bufio.Reader, buf []byte, max int64) ([]byte, error) {
	for {
		line, err := readLine(r)
		if err != nil {
			return buf, err
		}
		size, ok := parseChunkSize(line)
		if !ok {
			return buf, fmt.Errorf("%w: chunk size %q", errMalformed, clipLine(line))
		}
		if size == 0 {
			break
		}
		if buf, err = readSized(&io.LimitedReader{R: r, N: size}, buf, max); err != nil {
			return buf, err
		}
		if line, err := readLine(r); err != nil || len(line) != 0 {
			return buf, cmpErr(err, fmt.Errorf("%w: no CRLF after a chunk", errMalformed))
		}
	}
	for n := 0; ; n++ { // the trailer
		line, err := readLine(r)
		if err != nil || len(line) == 0 {
			return buf, err
		}
		if n == maxHeaders {
			return buf, fmt.Errorf("%w: over %d trailer lines", errMalformed, maxHeaders)
		}
	}
}

func cmpErr(err, otherwise error) error {
	if err != nil {
		return err
	}
	return otherwise
}

// appendLimited appends up to n bytes of src to buf.
func appendLimited(buf []byte, src io.Reader, n int64) ([]byte, error) {
	for n > 0 {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		room := min(int64(cap(buf)-len(buf)), n)
		k, err := src.Read(buf[len(buf) : len(buf)+int(room)])
		buf, n = buf[:len(buf)+k], n-int64(k)
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
	return buf, nil
}

// readLine reads a line ending in LF, CRLF dropped, of at most
// maxHeaderLine bytes; the slice holds until the next read.
func readLine(r *bufio.Reader) ([]byte, error) {
	line, err := r.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		return nil, fmt.Errorf("%w: a line over %d bytes", errMalformed, maxHeaderLine)
	}
	if err == io.EOF && len(line) > 0 {
		err = io.ErrUnexpectedEOF
	}
	if err != nil {
		return nil, err
	}
	line = line[:len(line)-1]
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	return line, nil
}

func parseLength(s string) (int64, bool) {
	if s == "" || len(s) > 18 || !isDigits(s) {
		return 0, false
	}
	var n int64
	for i := range len(s) {
		n = n*10 + int64(s[i]-'0')
	}
	return n, true
}

// parseChunkSize reads a chunk-size line, extensions ignored.
func parseChunkSize(line []byte) (int64, bool) {
	s := string(line)
	if i := strings.IndexByte(s, ';'); i >= 0 {
		s = s[:i]
	}
	s = strings.TrimRight(s, " \t")
	if s == "" || len(s) > 15 {
		return 0, false
	}
	var n int64
	for i := range len(s) {
		c := s[i]
		switch {
		case '0' <= c && c <= '9':
			n = n<<4 | int64(c-'0')
		case 'a' <= c && c <= 'f':
			n = n<<4 | int64(c-'a'+10)
		case 'A' <= c && c <= 'F':
			n = n<<4 | int64(c-'A'+10)
		default:
			return 0, false
		}
	}
	return n, true
}

func isDigits(s string) bool {
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func clipLine(b []byte) string { return clipped(string(b), 64) }

func clipped(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
