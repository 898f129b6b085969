package mockserver

import (
	"encoding/base64"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzDecodeArticleID: an articleId decodes to bounded UTF-8 text without
// control characters, or is refused; whatever decodes encodes back, in
// the URL alphabet unpadded, to a string that decodes to the same id.
func FuzzDecodeArticleID(f *testing.F) {
	for _, s := range []string{"YXJ0aWNsZS0x", "YXJ0aWNsZT8xPg==", "YXJ0aWNsZT8xPg", "YXJ0aWNsZT8xPg+/", "a b", "-_+/", "", "====", "AA"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, err := decodeArticleID(s)
		if err != nil {
			return
		}
		if id == "" || len(id) > maxArticleID || !utf8.ValidString(id) || strings.ContainsFunc(id, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
			t.Fatalf("%q decoded to %q", s, id)
		}
		again, err := decodeArticleID(base64.RawURLEncoding.EncodeToString([]byte(id)))
		if err != nil || again != id {
			t.Fatalf("%q: %q re-encoded decodes to %q, %v", s, id, again, err)
		}
	})
}

// FuzzCheckCallback: an accepted JSONP callback is a dotted JavaScript
// name, nothing that could end the call or start another statement.
func FuzzCheckCallback(f *testing.F) {
	for _, s := range []string{"cb", "jQuery1_2.cb", "$.x", "alert(1)//", "a..b", ".a", "a.", "1a", "a-b", "</script>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, cb string) {
		if checkCallback(cb) != nil {
			return
		}
		if len(cb) > maxCallback || strings.ContainsAny(cb, "()[];,'\"<>/\\ \n\r\t=+-*`{}") || strings.Contains(cb, "..") ||
			strings.HasPrefix(cb, ".") || strings.HasSuffix(cb, ".") {
			t.Fatalf("accepted callback %q", cb)
		}
		for _, part := range strings.Split(cb, ".") {
			if part[0] >= '0' && part[0] <= '9' {
				t.Fatalf("accepted callback %q: a name starts with a digit", cb)
			}
		}
	})
}

// FuzzParseBootstrapPath: a bootstrap path is init or page N below the
// bound, with a valid siteId and articleId, or is refused.
func FuzzParseBootstrapPath(f *testing.F) {
	f.Add("42", "YXJ0aWNsZS0x", "init")
	f.Add("42", "YXJ0aWNsZS0x", "0.json")
	f.Add("42", "YXJ0aWNsZS0x", "12.json")
	f.Add("4 2", "YXJ0aWNsZS0x", "012.json")
	f.Add("42", "YXJ0aWNsZS0x", "99999999999.json")
	f.Add("42", "YXJ0aWNsZS0x", "-1.json")
	f.Fuzz(func(t *testing.T, site, article, file string) {
		bf, err := parseBootstrapPath(site, article, file)
		if err != nil {
			return
		}
		if checkSiteID(bf.siteID) != nil || bf.siteID != site || bf.articleID == "" {
			t.Fatalf("(%q, %q, %q) parsed to %+v", site, article, file, bf)
		}
		switch {
		case file == "init" && bf.page != -1,
			file != "init" && (bf.page < 0 || bf.page >= maxPageNumber || file != strconv.Itoa(bf.page)+".json"):
			t.Fatalf("file %q parsed to page %d", file, bf.page)
		}
	})
}
