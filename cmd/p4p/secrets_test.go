package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"p4p/livefyre"
)

// TestNoSecretInAnyOutput runs a full session as an integrator would, every
// part a process at debug log level: the mock, the reference endpoint
// registered with it, the conformance suite against both with the update
// hook, and the pull and propagation load scenarios. Then it greps all
// they wrote (stdout, stderr, every report file, the archive's contents,
// and what the mock's /events, /metrics and /profiles/ served) for the
// network key and for any whole token.
func TestNoSecretInAnyOutput(t *testing.T) {
	needInterrupt(t)
	const secretKey = "sEcReT-nEtWoRk-kEy-4f1d2c"
	env := []string{"P4P_NETWORK=" + e2eNetwork, "P4P_NETWORK_KEY=" + secretKey}
	var outputs []named

	mock := startProc(t, env, "mock", "--addr", "127.0.0.1:0", "--log-level", "debug", "--delay", "0-50ms", "--bootstrap-refresh", "100ms")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	events := capture(t, ctx, mock.URL+"/events")
	app := startProc(t, env, "refapp", "--addr", "127.0.0.1:0", "--users", "20", "--livefyre", mock.URL, "--log-level", "debug")
	pull := app.URL + "/pull?id={id}"

	dir := t.TempDir()
	for _, args := range [][]string{
		{"conformance", "--pull-url", pull, "--user", "u-0001,user.0002", "--livefyre", mock.URL,
			"--update-hook", app.URL + "/hook", "--report-dir", filepath.Join(dir, "conformance"), "-v"},
		{"load", "pull", "--pull-url", pull, "--network", e2eNetwork, "--user-count", "20", "--rate", "50/s", "--duration", "1s",
			"--report-dir", filepath.Join(dir, "pull")},
		{"load", "propagation", "--livefyre", mock.URL, "--pull-url", pull, "--network", e2eNetwork, "--user-count", "20", "--rate", "20/s",
			"--duration", "1s", "--report-dir", filepath.Join(dir, "propagation")},
	} {
		stdout, stderr, code := runAny(t, env, args...)
		if args[0] == "conformance" && code != exitOK {
			t.Fatalf("the conformance run failed (exit %d), so it showed less than a full run would:\n%s", code, stdout)
		}
		outputs = append(outputs, named{"p4p " + strings.Join(args[:2], " ") + " stdout", stdout},
			named{"p4p " + strings.Join(args[:2], " ") + " stderr", stderr})
	}
	for _, path := range []string{"/metrics", "/profiles/?actor_token=" + tokenFromCLI(t, env)} {
		outputs = append(outputs, named{"mock " + strings.SplitN(path, "?", 2)[0], get(t, mock.URL+path)})
	}
	outputs = append(outputs, adminOutputs(t, mock.URL, tokenFromCLI(t, env))...)
	outputs = append(outputs, named{"refapp /users", get(t, app.URL+"/users")})
	app.stop(t)
	mock.stop(t)
	cancel()
	outputs = append(outputs, named{"mock /events", <-events},
		named{"mock stderr", mock.stderr.String()}, named{"refapp stderr", app.stderr.String()})
	outputs = append(outputs, reportFiles(t, dir)...)

	if len(outputs) < 15 {
		t.Fatalf("only %d outputs were collected", len(outputs))
	}
	for _, o := range outputs {
		if strings.Contains(o.text, secretKey) {
			t.Errorf("%s shows the network key", o.name)
		}
		if m := rawJWT.FindString(o.text); m != "" {
			t.Errorf("%s shows a whole token (%s…)", o.name, m[:min(len(m), 24)])
		}
	}
	if !strings.Contains(outputsText(outputs, "mock /events"), "profile.updated") {
		t.Error("the /events capture holds no profile.updated: the grep looked at an empty stream")
	}
}

type named struct{ name, text string }

func outputsText(outputs []named, name string) string {
	for _, o := range outputs {
		if o.name == name {
			return o.text
		}
	}
	return ""
}

// runAny runs p4p to completion and returns its stdout, stderr and exit
// status, which must be 0 or 1.
func runAny(t *testing.T, env []string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Env = append(os.Environ(), env...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("p4p %s did not finish within 2 minutes", strings.Join(args, " "))
	}
	var exit *exec.ExitError
	if err != nil && !(errors.As(err, &exit) && exit.ExitCode() == exitFail) {
		t.Fatalf("p4p %s: %v; stderr: %s", strings.Join(args, " "), err, errOut.String())
	}
	return out.String(), errOut.String(), cmd.ProcessState.ExitCode()
}

// capture reads url (an event stream) until ctx ends and sends what it
// read.
func capture(t *testing.T, ctx context.Context, url string) <-chan string {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	out := make(chan string, 1)
	go func() {
		defer resp.Body.Close()
		var b bytes.Buffer
		io.Copy(&b, resp.Body)
		out <- b.String()
	}()
	return out
}

func get(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: status %d", strings.SplitN(url, "?", 2)[0], resp.StatusCode)
	}
	return string(b)
}

// tokenFromCLI asks p4p token for a system token, as a person would.
func tokenFromCLI(t *testing.T, env []string) string {
	t.Helper()
	return strings.TrimSpace(run(t, env, "token"))
}

// reportFiles reads every file under dir, and every file inside the
// .tar.gz archives there.
func reportFiles(t *testing.T, dir string) []named {
	t.Helper()
	var files []named
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		files = append(files, named{rel, string(data)})
		if strings.HasSuffix(path, ".tar.gz") {
			for name, text := range archived(t, path) {
				files = append(files, named{rel + ":" + name, text})
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// adminOutputs collects what the admin API serves: the login answer with
// its cookie, the users list, each listed user's page with its timeline
// (every attempt's request, headers and body) and app view, and the dead
// letters; and the Studio page and the default collection's bootstrap.
func adminOutputs(t *testing.T, base, tok string) []named {
	t.Helper()
	resp, err := http.PostForm(base+"/admin/v1/session", url.Values{"token": {tok}})
	if err != nil {
		t.Fatal(err)
	}
	login, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("admin login: status %d", resp.StatusCode)
	}
	q := "actor_token=" + url.QueryEscape(tok)
	users := get(t, base+"/admin/v1/users?limit=500&"+q)
	var list struct {
		Data livefyre.UserList `json:"data"`
	}
	if err := json.Unmarshal([]byte(users), &list); err != nil || len(list.Data.Users) == 0 {
		t.Fatalf("admin users list: %v, %d users", err, len(list.Data.Users))
	}
	var pages, apps strings.Builder
	for _, u := range list.Data.Users[:min(len(list.Data.Users), 30)] {
		pages.WriteString(get(t, base+"/admin/v1/users/"+url.PathEscape(u.ID)+"?limit=500&"+q))
		apps.WriteString(get(t, base+"/admin/v1/users/"+url.PathEscape(u.ID)+"/app?"+q))
	}
	if !strings.Contains(pages.String(), `"request"`) {
		t.Fatal("no admin timeline shows a pull request: the grep would look at nothing")
	}
	return []named{
		{"admin login", resp.Header.Get("Set-Cookie") + "\n" + string(login)},
		{"admin users", users},
		{"admin user pages", pages.String()},
		{"admin dead letters", get(t, base+"/admin/v1/dead?limit=500&"+q)},
		{"admin app views", apps.String()},
		// The Studio page and what it loads, and the app's bootstrap of the
		// default collection (siteId 0, articleId p4p-default).
		{"studio page", get(t, base+"/studio/") + get(t, base+"/studio/studio.js") + get(t, base+"/studio/studio.css")},
		{"bootstrap init", get(t, base+"/bs3/v3.1/"+e2eNetwork+"/0/"+base64.RawURLEncoding.EncodeToString([]byte("p4p-default"))+"/init")},
	}
}
