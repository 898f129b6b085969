package refapp

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"p4p/profile"
)

// profileEdits are the faults that change the profile a pull serves, each
// as an edit of the rendered profile.
var profileEdits = map[Fault]func(*Server, *object){
	FaultNoDisplayName:   func(_ *Server, o *object) { o.remove("display_name") },
	FaultBadTags:         func(_ *Server, o *object) { addBadTag(o) },
	FaultNormalizedID:    func(_ *Server, o *object) { normalizeID(o) },
	FaultExtraFields:     func(_ *Server, o *object) { addTopLevelNames(o) },
	FaultUnstableProfile: (*Server).bustImageCache,
	FaultSamePerson:      (*Server).servePerson,
	FaultLocalURLs:       func(_ *Server, o *object) { localImage(o) },
}

// localImage is FaultLocalURLs: the avatar is served from the site's
// development host.
func localImage(o *object) {
	var id string
	o.get("id", &id)
	o.set("image_url", "http://localhost:8080/avatars/"+url.PathEscape(id)+".png")
}

// servePerson is FaultSamePerson: the profile becomes the first user's,
// as it is now, with the requested user's id.
func (s *Server) servePerson(o *object) {
	first, ok := s.lookup(s.cfg.Users[0].ID)
	if !ok {
		return
	}
	fo, err := parseObject(first)
	if err != nil {
		return
	}
	var id string
	o.get("id", &id)
	fo.set("id", id)
	*o = fo
}

// reshape applies the fault's edit, if it has one, to a profile body.
func (s *Server) reshape(body []byte) []byte {
	edit, ok := profileEdits[s.cfg.Fault]
	if !ok {
		return body
	}
	o, err := parseObject(body)
	if err != nil {
		s.log.Warn("fault: profile body is not a JSON object", "fault", s.cfg.Fault, "err", err)
		return body
	}
	edit(s, &o)
	return o.encode()
}

// addBadTag is FaultBadTags: it adds a tag with a hyphen.
func addBadTag(o *object) {
	var tags []string
	o.get("tags", &tags)
	o.set("tags", append(tags, "beta-tester"))
}

// normalizeID is FaultNormalizedID: it serves "user_1" as "user-1".
func normalizeID(o *object) {
	var id string
	if o.get("id", &id) && strings.Contains(id, "_") {
		o.set("id", strings.ReplaceAll(id, "_", "-"))
	}
}

// addTopLevelNames is FaultExtraFields: it adds the Financial Times'
// first_name and last_name (spec 5.1), from the name object when there is
// one, else from display_name.
func addTopLevelNames(o *object) {
	var n profile.Name
	if !o.get("name", &n) || n.First == "" && n.Last == "" {
		var display string
		o.get("display_name", &display)
		n.First, n.Last, _ = strings.Cut(display, " ")
	}
	o.set("first_name", n.First)
	o.set("last_name", n.Last)
}

// bustImageCache is FaultUnstableProfile: it adds t=<a new number each
// time> to the query of image_url, when the profile has one.
func (s *Server) bustImageCache(o *object) {
	var u string
	if !o.get("image_url", &u) {
		return
	}
	u, fragment, hasFragment := strings.Cut(u, "#")
	sep := "?"
	if strings.Contains(u, "?") {
		sep = "&"
	}
	u += sep + "t=" + strconv.FormatInt(s.stamp(), 10)
	if hasFragment {
		u += "#" + fragment
	}
	o.set("image_url", u)
}

// stamp is the time in Unix nanoseconds, moved on if need be so that no
// two calls return the same number.
func (s *Server) stamp() int64 {
	for {
		last := s.lastStamp.Load()
		next := max(time.Now().UnixNano(), last+1)
		if s.lastStamp.CompareAndSwap(last, next) {
			return next
		}
	}
}
