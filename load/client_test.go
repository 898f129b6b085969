package load

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// TestLeanClientAnswers: the lean client reads what real servers send,
// body kept up to its limit, and keeps the connection only when it may.
func TestLeanClientAnswers(t *testing.T) {
	var conns atomic.Int32 // set on accepting, before the answer
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if user, pass, _ := r.BasicAuth(); user != "ann" || pass != "pw" {
			http.Error(w, "no auth", http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Query().Get("v") {
		case "chunked":
			w.Write([]byte(`{"a":`))
			w.(http.Flusher).Flush() // no Content-Length: chunked
			w.Write([]byte(`1}`))
		case "close":
			w.Header().Set("Connection", "close")
			w.Write([]byte(`{"b":2}`))
		case "big":
			w.Write(bytes.Repeat([]byte("x"), 100))
		case "bare":
			w.Header()["Content-Type"] = nil // not sniffed either
			w.Write([]byte("bare"))
		case "redirect":
			http.Redirect(w, r, "/elsewhere", http.StatusFound)
		default:
			w.Write([]byte(`{"c":3}`))
		}
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	origin := strings.Replace(srv.URL, "://", "://ann:pw@", 1)
	e, err := newEndpoint(origin+"/pull?id=1", 5*time.Second, 10)
	if err != nil {
		t.Fatal(err)
	}
	c := e.conn(true)
	defer c.close()
	for _, tt := range []struct {
		query, body string
		code        uint16
		newConns    int32 // opened by this request
	}{
		{"plain", `{"c":3}`, 200, 1},
		{"chunked", `{"a":1}`, 200, 0},
		{"close", `{"b":2}`, 200, 0},
		{"plain", `{"c":3}`, 200, 1}, // after Connection: close
		{"big", "xxxxxxxxxx", 200, 0},
		{"bare", "bare", 200, 0},
		{"redirect", "", 302, 0}, // not followed
		{"plain", `{"c":3}`, 200, 0},
	} {
		before := conns.Load()
		var res vegeta.Result
		if err := c.do(context.Background(), origin+"/pull?v="+tt.query, &res); err != nil {
			t.Fatalf("%s: %v", tt.query, err)
		}
		if res.Code != tt.code || (tt.code == 200 && string(res.Body) != tt.body) || res.BytesIn != uint64(len(res.Body)) {
			t.Errorf("%s: got %d %q (%d bytes in), want %d %q", tt.query, res.Code, res.Body, res.BytesIn, tt.code, tt.body)
		}
		if want := map[bool]string{true: "application/json"}[tt.code == 200 && tt.query != "bare"]; tt.code == 200 &&
			res.Headers.Get("Content-Type") != want {
			t.Errorf("%s: Content-Type %q, want %q", tt.query, res.Headers.Get("Content-Type"), want)
		}
		if got := conns.Load() - before; got != tt.newConns {
			t.Errorf("%s: opened %d connections, want %d", tt.query, got, tt.newConns)
		}
		if kept := c.c != nil; kept != (tt.query != "close") {
			t.Errorf("%s: connection kept %v", tt.query, kept)
		}
	}
	var res vegeta.Result
	if err := c.do(context.Background(), "http://elsewhere.invalid/pull", &res); err != errOrigin {
		t.Errorf("a target off the origin: got %v, want errOrigin", err)
	}
}

// TestLeanClientRetriesStaleConnection: a kept-alive connection the
// server closed while idle is replaced, and the request sent again; a
// connection that breaks after answering in part is not.
func TestLeanClientRetriesStaleConnection(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for i := 0; ; i++ {
			nc, err := ln.Accept()
			if err != nil {
				return
			}
			r := bufio.NewReader(nc)
			for {
				req, err := http.ReadRequest(r)
				if err != nil {
					break
				}
				if req.URL.Query().Get("v") == "half" {
					io.WriteString(nc, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc")
					break
				}
				io.WriteString(nc, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
				if i == 0 {
					break // close the kept-alive connection after one answer
				}
			}
			nc.Close()
		}
	}()
	base := "http://" + ln.Addr().String()
	e, err := newEndpoint(base+"/", 5*time.Second, 100)
	if err != nil {
		t.Fatal(err)
	}
	c := e.conn(true)
	defer c.close()
	for i := range 2 {
		var res vegeta.Result
		if err := c.do(context.Background(), base+"/?v=ok", &res); err != nil || string(res.Body) != "ok" {
			t.Fatalf("request %d: %v, body %q", i, err, res.Body)
		}
	}
	var res vegeta.Result
	if err := c.do(context.Background(), base+"/?v=half", &res); err == nil {
		t.Fatalf("a truncated body: got no error, body %q", res.Body)
	}
}

// TestLeanClientTimeout: a server that never answers is a timeout, as
// the verdicts classify it.
func TestLeanClientTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { <-release }))
	defer srv.Close()
	defer close(release)
	e, err := newEndpoint(srv.URL+"/", 100*time.Millisecond, 100)
	if err != nil {
		t.Fatal(err)
	}
	c := e.conn(true)
	defer c.close()
	var res vegeta.Result
	err = c.do(context.Background(), srv.URL+"/", &res)
	if err == nil || transportKind(err.Error()) != "timeout" {
		t.Fatalf("got %v, want a timeout", err)
	}
}

// FuzzReadResponse compares the lean client's response reader with
// net/http's on any bytes: neither may panic, and where net/http reads a
// whole response, status and body, the lean reader reads the same.
func FuzzReadResponse(f *testing.F) {
	for _, s := range []string{
		"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2;x=y\r\n{}\r\n0\r\nTrailer: a\r\n\r\n",
		"HTTP/1.0 404 Not Found\r\n\r\nnope", "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n",
		"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", "HTTP/1.1 2000\r\n\r\n", "garbage\r\n\r\n",
		"HTTP/1.1 200 OK\nContent-Length: 3\n\nabc", "HTTP/1.1 200\r\nConnection: close\r\n\r\nto the end",
		"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r := bufio.NewReaderSize(bytes.NewReader(data), maxHeaderLine)
		var body []byte
		h, err := readHead(r, "")
		if err == nil {
			body, _, err = readBody(r, h, nil, 64)
		}
		if len(body) > 64 {
			t.Fatalf("kept %d bytes of body, over the limit", len(body))
		}
		want, werr := http.ReadResponse(bufio.NewReader(bytes.NewReader(data)), nil)
		if werr != nil || err != nil || want.StatusCode < 200 {
			return // the readers may refuse differently
		}
		if want.StatusCode != h.code {
			t.Fatalf("%q: status %d, net/http reads %d", data, h.code, want.StatusCode)
		}
		if ct := want.Header.Get("Content-Type"); ct != h.contentType {
			t.Fatalf("%q: Content-Type %q, net/http reads %q", data, h.contentType, ct)
		}
		wantBody, werr := io.ReadAll(want.Body)
		if werr != nil {
			return
		}
		if len(wantBody) > 64 {
			wantBody = wantBody[:64]
		}
		if !bytes.Equal(body, wantBody) {
			t.Fatalf("%q: body %q, net/http reads %q", data, body, wantBody)
		}
	})
}

// TestLeanClientTLS: an https Pull URL is sent over TLS, the server's
// certificate verified.
func TestLeanClientTLS(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(r.Proto))
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake
	srv.StartTLS()
	defer srv.Close()
	e, err := newEndpoint(srv.URL+"/pull?id=1", 5*time.Second, 100)
	if err != nil {
		t.Fatal(err)
	}
	c := e.conn(true)
	var res vegeta.Result
	if err := c.do(context.Background(), srv.URL+"/pull?id=1", &res); err == nil || !strings.Contains(err.Error(), "x509:") {
		t.Errorf("an untrusted certificate: got %v, want a certificate error", err)
	}
	c.close()
	e.tls.RootCAs = srv.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs
	for range 2 {
		if err := c.do(context.Background(), srv.URL+"/pull?id=1", &res); err != nil || string(res.Body) != "HTTP/1.1" {
			t.Fatalf("got %v, body %q; want HTTP/1.1 over TLS", err, res.Body)
		}
	}
	c.close()
}

// TestReadHeadAsNetHTTP: what net/http refuses or reads otherwise in a
// response's head, the lean client does too: a status line that is not
// HTTP/1.x, and of two Content-Types the first.
func TestReadHeadAsNetHTTP(t *testing.T) {
	for _, line := range []string{"1 200 OK", "HTTP/2.1 200 OK", "XHTTP/1.1 200 OK", "200 OK"} {
		if _, err := readHead(bufio.NewReader(strings.NewReader(line+"\r\n\r\n")), ""); !errors.Is(err, errMalformed) {
			t.Errorf("status line %q: got %v, want errMalformed", line, err)
		}
	}
	h, err := readHead(bufio.NewReader(strings.NewReader("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\ncontent-type: application/json\r\n\r\n")), "application/json")
	if err != nil || h.contentType != "text/html" {
		t.Errorf("two Content-Types: got %q, %v; want the first, text/html", h.contentType, err)
	}
}
