package mockserver_test

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"p4p"
	"p4p/internal/headless"
	"p4p/mockserver"
)

// studioEndpoint is the Pull endpoint behind the console test: ada's name
// changes on each pull, eve and fay are unknown (404, dead-lettered) until
// fixed, and mallory's display name is markup.
func studioEndpoint(t *testing.T, fixed *atomic.Bool) *endpoint {
	var adaPulls atomic.Int64
	return newEndpoint(t, func(_ int64, r *http.Request, w http.ResponseWriter) {
		id := r.URL.Query().Get("id")
		p := map[string]any{"id": id, "autofollow_conversations": "false"}
		switch id {
		case "ada":
			p["display_name"], p["email"] = "Ada Lovelace", "ada@example.org"
			if adaPulls.Add(1) > 1 {
				p["display_name"] = "Ada King"
			}
		case "eve", "fay":
			if !fixed.Load() {
				w.Header().Set("Content-Type", "text/plain")
				w.WriteHeader(http.StatusNotFound)
				w.Write([]byte(id + " is not here yet"))
				return
			}
			p["display_name"] = strings.ToUpper(id[:1]) + id[1:]
		default:
			p["display_name"] = `<img src=x id=pwned onerror="document.title='pwned'">`
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(p)
	})
}

// TestStudioConsole drives the console at /studio/ in Chromium against a
// real mock and Pull endpoint: log in, search, open a user and watch a
// ping made elsewhere arrive live, read a failed attempt, replay a dead
// letter from the user's page and others by filter, and log out; no token
// or key is ever in the page, and integrators' markup stays text.
// P4P_STUDIO_SHOTS=dir keeps screenshots of each screen.
func TestStudioConsole(t *testing.T) {
	chromium := headless.Find(t)
	var fixed atomic.Bool
	e := studioEndpoint(t, &fixed)
	s := startMock(t, func(c *mockserver.Config) {
		c.BootstrapRefresh = p4p.Delay{Min: 300 * time.Millisecond, Max: 300 * time.Millisecond}
	})
	register(t, s, e.template())
	for _, id := range []string{"ada", "eve", "fay", "mallory"} {
		ping(t, s, id)
		awaitOutcome(t, s, id)
	}
	tok := systemToken(t)

	resp, err := http.Get(s.URL + "/studio/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if csp := resp.Header.Get("Content-Security-Policy"); resp.StatusCode != 200 || !strings.Contains(csp, "default-src 'self'") {
		t.Fatalf("GET /studio/: status %d, CSP %q; want 200 and default-src 'self'", resp.StatusCode, csp)
	}

	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromium), chromedp.NoSandbox,
		chromedp.DisableGPU, chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900),
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-dev-shm-usage", true))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancelT := context.WithTimeout(ctx, headless.Timeout)
	defer cancelT()

	shots := os.Getenv("P4P_STUDIO_SHOTS")
	shot := func(name string) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			if shots == "" {
				return nil
			}
			png, err := chromedp.FullScreenshot(100)(ctx, tg)
			if err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(shots, name+".png"), png, 0o644)
		})
	}
	step := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			page, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("body")))
			state, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`location.hash + " q=" + document.getElementById("q").value + " outcome=" + document.getElementById("outcome").value`))
			t.Fatalf("%s: %v\n%s\npage text:\n%s", what, err, state, page)
		}
	}
	// until waits for a JavaScript condition to hold.
	until := func(js string) chromedp.Action[chromedp.Void] {
		return chromedp.Poll[chromedp.Void](js, chromedp.WithPollingInterval(50*time.Millisecond))
	}

	step("log in",
		chromedp.Navigate(s.URL+"/studio/"),
		chromedp.WaitVisible(chromedp.CSS("#login-form")),
		chromedp.SendKeys(chromedp.CSS("#token"), tok),
		chromedp.Click(chromedp.CSS("#login-form button[type=submit]")),
		until(`document.querySelectorAll("#users-rows a").length === 4`),
		until(`document.getElementById("whoami").textContent.includes("system")`),
		shot("studio-users"))
	step("markup in a display name stays text",
		until(`document.getElementById("users-rows").textContent.includes("<img src=x id=pwned")`),
		until(`document.getElementById("pwned") === null && document.title !== "pwned"`))
	step("search",
		chromedp.SendKeys(chromedp.CSS("#q"), "lovelace"),
		chromedp.Click(chromedp.CSS("#users-form button[type=submit]")),
		until(`document.querySelectorAll("#users-rows tr").length === 1 && document.querySelector("#users-rows a").textContent === "ada"`))
	step("open a user",
		chromedp.Click(chromedp.CSS("#users-rows a")),
		until(`document.getElementById("studio-view").textContent.includes("Ada Lovelace")`),
		until(`document.getElementById("app-view").textContent.includes("Ada Lovelace")`),
		until(`document.getElementById("user-live").textContent.startsWith("live:")`),
		until(`document.querySelectorAll('#timeline li[data-type="profile.updated"]').length === 1`),
		until(`(window.notReloaded = true)`))

	ping(t, s, "ada") // elsewhere: the page must follow it
	step("a ping made elsewhere shows live",
		until(`document.querySelectorAll('#timeline li.new[data-type="ping.accepted"]').length === 1`),
		until(`document.querySelectorAll('#timeline li[data-type="profile.updated"]').length === 2`),
		until(`document.getElementById("studio-view").textContent.includes("Ada King")`),
		until(`window.notReloaded === true`),
		shot("studio-user-live"),
		until(`document.getElementById("app-view").textContent.includes("Ada King")`))

	step("open a failed pull's attempt",
		chromedp.Navigate(s.URL+"/studio/#/users"),
		until(`(document.getElementById("q").value = "", document.getElementById("outcome").value = "dead")`),
		chromedp.Click(chromedp.CSS("#users-form button[type=submit]")),
		until(`document.querySelectorAll("#users-rows a").length === 2`),
		chromedp.Click(chromedp.CSS(`#users-rows a[href="#/user/eve"]`)),
		until(`document.querySelector('#timeline li[data-type="pull.failed"] summary') !== null`),
		chromedp.Click(chromedp.CSS(`#timeline li[data-type="pull.failed"] summary`)),
		until(`(() => { const d = document.querySelector('#timeline li[data-type="pull.failed"] details');
			return d.open && d.querySelector("summary").textContent.includes("404") &&
				d.querySelector(".resp-body").textContent.includes("eve is not here yet") &&
				d.querySelector(".req").textContent.includes("lftoken=[redacted]") })()`),
		shot("studio-user-failed"))

	fixed.Store(true)
	step("replay a dead letter from the user's page",
		chromedp.Click(chromedp.CSS(`#user-dead button[data-dead]`)),
		until(`document.querySelectorAll('#timeline li[data-type="pull.replayed"]').length === 1`),
		until(`document.querySelectorAll('#timeline li[data-type="profile.updated"]').length === 1`),
		until(`document.getElementById("sync").textContent.includes("succeeded")`),
		until(`document.getElementById("user-dead").textContent === "None."`))

	step("replay all dead letters matching a filter",
		chromedp.Click(chromedp.CSS("#nav-dead")),
		until(`document.querySelectorAll("#dead-rows button").length === 1 && document.getElementById("dead-result").textContent === ""`),
		chromedp.SendKeys(chromedp.CSS("#dead-q"), "fay"),
		chromedp.Click(chromedp.CSS("#dead-form button[type=submit]")),
		until(`document.querySelector("#dead-rows a") !== null && document.querySelector("#dead-rows a").textContent === "fay"`),
		shot("studio-dead"),
		chromedp.Click(chromedp.CSS("#dead-replay-all")),
		until(`document.getElementById("dead-result").textContent === "Replayed 1."`),
		until(`document.getElementById("dead-rows").textContent.includes("No dead letters match")`))
	awaitSucceeded(t, s, "fay")

	html, err := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("html")))
	if err != nil {
		t.Fatal(err)
	}
	cookie, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.cookie`))
	if err != nil {
		t.Fatal(err)
	}
	stored, err := chromedp.Run(ctx, chromedp.Evaluate[int](`localStorage.length + sessionStorage.length`))
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{tok, key} {
		if strings.Contains(html, secret) || strings.Contains(cookie, secret) {
			t.Errorf("a token or the key is in the page or its cookies")
		}
	}
	if cookie != "" || stored != 0 {
		t.Errorf("script-readable state: cookie %q, %d storage items; want none", cookie, stored)
	}
	step("log out",
		chromedp.Click(chromedp.CSS("#logout")),
		chromedp.WaitVisible(chromedp.CSS("#login-form")),
		chromedp.Navigate(s.URL+"/studio/#/dead"),
		chromedp.WaitVisible(chromedp.CSS("#login-form")))
}

// awaitSucceeded waits for id's outcome to be succeeded.
func awaitSucceeded(t *testing.T, s *mockserver.Server, id string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		rp, _ := getProfile(t, s, id)
		if rp.Sync.Outcome == "succeeded" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: outcome %s, want succeeded", id, rp.Sync.Outcome)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
