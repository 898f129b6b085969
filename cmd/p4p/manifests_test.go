package main

import (
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/nats-io/nats-server/v2/server"
	"go.yaml.in/yaml/v3"
)

// The Kubernetes manifests in deploy/k8s, checked against p4p's own flag
// sets and nats-server's own configuration parser. deploy/k8s's test
// decodes the same files into the Kubernetes API's types.

// manifestDir holds the manifests, from cmd/p4p.
const manifestDir = "../../deploy/k8s"

// k8sObject is one decoded manifest, as plain YAML.
type k8sObject map[string]any

func (o k8sObject) get(path ...string) any {
	var v any = o
	for _, p := range path {
		m, ok := asObject(v)
		if !ok {
			return nil
		}
		v = m[p]
	}
	return v
}

// asObject is v as a mapping: yaml.v3 decodes the mappings inside a
// k8sObject as k8sObjects, and those inside a list as plain maps.
func asObject(v any) (k8sObject, bool) {
	switch m := v.(type) {
	case k8sObject:
		return m, true
	case map[string]any:
		return m, true
	}
	return nil, false
}

func (o k8sObject) str(path ...string) string { s, _ := o.get(path...).(string); return s }

func (o k8sObject) list(path ...string) []k8sObject {
	var out []k8sObject
	l, _ := o.get(path...).([]any)
	for _, v := range l {
		if m, ok := asObject(v); ok {
			out = append(out, m)
		}
	}
	return out
}

func (o k8sObject) strings(path ...string) []string {
	var out []string
	l, _ := o.get(path...).([]any)
	for _, v := range l {
		out = append(out, fmt.Sprint(v))
	}
	return out
}

// readManifests decodes every document under deploy/k8s.
func readManifests(t *testing.T) []k8sObject {
	t.Helper()
	var objs []k8sObject
	err := filepath.WalkDir(manifestDir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(path) != ".yaml" {
			return err
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		dec := yaml.NewDecoder(f)
		for {
			var o k8sObject
			if err := dec.Decode(&o); err == io.EOF {
				return nil
			} else if err != nil {
				return fmt.Errorf("%s: %w", path, err)
			}
			if o != nil {
				objs = append(objs, o)
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return objs
}

func k8sNamed(objs []k8sObject, kind, name string) k8sObject {
	for _, o := range objs {
		if o.str("kind") == kind && o.str("metadata", "name") == name {
			return o
		}
	}
	return nil
}

// p4pContainer is a container running the p4p image, in its pod.
type p4pContainer struct {
	workload    string
	obj, c, pod k8sObject
}

func p4pContainers(objs []k8sObject) []p4pContainer {
	var out []p4pContainer
	for _, o := range objs {
		pod, _ := asObject(o.get("spec", "template", "spec"))
		for _, c := range pod.list("containers") {
			if c.str("image") == "p4p" {
				out = append(out, p4pContainer{o.str("kind") + " " + o.str("metadata", "name"), o, c, pod})
			}
		}
	}
	return out
}

// envOf is the container's environment as the pod would see it: literal
// values, ConfigMap keys from the manifests, a placeholder for a Secret
// and "0" for a field (the completion index).
func envOf(objs []k8sObject, c k8sObject) map[string]string {
	env := map[string]string{}
	for _, e := range c.list("env") {
		name := e.str("name")
		switch {
		case e.get("valueFrom", "secretKeyRef") != nil:
			env[name] = "secret-from-the-cluster"
		case e.get("valueFrom", "configMapKeyRef") != nil:
			cm := k8sNamed(objs, "ConfigMap", e.str("valueFrom", "configMapKeyRef", "name"))
			env[name] = cm.str("data", e.str("valueFrom", "configMapKeyRef", "key"))
		case e.get("valueFrom", "fieldRef") != nil:
			env[name] = "0"
		default:
			env[name] = e.str("value")
		}
	}
	return env
}

var envRef = regexp.MustCompile(`\$\((\w+)\)`)

// localArgs are the container's arguments as p4p would get them here:
// $(VAR) expanded as Kubernetes does, ConfigMap mounts written to a
// temporary directory and their paths rewritten to it.
func localArgs(t *testing.T, objs []k8sObject, pc p4pContainer, env map[string]string) []string {
	t.Helper()
	mounts := map[string]string{}
	for _, vm := range pc.c.list("volumeMounts") {
		for _, v := range pc.pod.list("volumes") {
			if v.str("name") != vm.str("name") || v.get("configMap") == nil {
				continue
			}
			dir := t.TempDir()
			data, _ := asObject(k8sNamed(objs, "ConfigMap", v.str("configMap", "name")).get("data"))
			for k, val := range data {
				if err := os.WriteFile(filepath.Join(dir, k), []byte(fmt.Sprint(val)), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			mounts[vm.str("mountPath")] = dir
		}
	}
	var args []string
	for _, a := range pc.c.strings("args") {
		a = envRef.ReplaceAllStringFunc(a, func(ref string) string { return env[envRef.FindStringSubmatch(ref)[1]] })
		for m, dir := range mounts {
			a = strings.Replace(a, "="+m+"/", "="+dir+"/", 1)
			if strings.HasPrefix(a, m+"/") {
				a = dir + a[len(m):]
			}
		}
		args = append(args, a)
	}
	return args
}

// Every p4p command line in the manifests parses with p4p's own flag
// sets, and is valid as a whole: the mock's and the reference endpoint's
// configurations, the load scenario from its ConfigMap.
func TestManifestCommandLines(t *testing.T) {
	objs := readManifests(t)
	pcs := p4pContainers(objs)
	if len(pcs) < 4 {
		t.Fatalf("%d p4p containers in %s, want the mock, the endpoint, the load and the merge", len(pcs), manifestDir)
	}
	for _, pc := range pcs {
		t.Run(pc.workload, func(t *testing.T) {
			env := envOf(objs, pc.c)
			if pc.obj.str("spec", "completionMode") == "Indexed" {
				env["JOB_COMPLETION_INDEX"] = "0" // as Kubernetes sets it in each pod
			}
			for k, v := range env {
				t.Setenv(k, v)
			}
			args := localArgs(t, objs, pc, env)
			if len(args) == 0 {
				t.Fatal("no arguments: the image's default is only its usage")
			}
			cmd := args[0]
			if cmd == "refapp" {
				args = standInUsers(t, objs, args)
			}
			if err := checkCommandLine(cmd, args[1:]); err != nil {
				t.Errorf("p4p %s: %v", strings.Join(args, " "), err)
			}
		})
	}
}

// standInUsers checks that the stand-in endpoint serves as many users as
// the scenario pings, and has the check make a thousand of them: making
// a million takes seconds.
func standInUsers(t *testing.T, objs []k8sObject, args []string) []string {
	t.Helper()
	var sc struct {
		UserCount int `yaml:"user_count"`
	}
	if err := yaml.Unmarshal([]byte(k8sNamed(objs, "ConfigMap", "p4p-settings").str("data", "scenario.yaml")), &sc); err != nil {
		t.Fatal(err)
	}
	out := slices.Clone(args)
	for i, a := range out {
		if v, ok := strings.CutPrefix(a, "--users="); ok {
			if n, _ := strconv.Atoi(v); n != sc.UserCount {
				t.Errorf("the endpoint serves %s users, the scenario pings %d", v, sc.UserCount)
			}
			out[i] = "--users=1000"
		}
	}
	return out
}

// checkCommandLine parses a command's arguments as p4p would.
func checkCommandLine(cmd string, args []string) error {
	switch cmd {
	case "mock":
		_, err := mockFlags(args, io.Discard)
		return err
	case "refapp":
		_, err := refappFlags(args, io.Discard)
		return err
	case "load":
		s, _, err := loadScenario(args, io.Discard)
		if err != nil {
			return err
		}
		_, err = s.Check()
		return err
	case "report":
		if len(args) == 0 || args[0] != "merge" {
			return fmt.Errorf("p4p report %v: want merge", args)
		}
		_, _, err := mergeArgs(args[1:], io.Discard)
		return err
	}
	return fmt.Errorf("no check for p4p %s", cmd)
}

// The NATS configuration parses with nats-server's own parser, its
// routes name every server of the StatefulSet, its ports are the
// container's, and the mock's --nats names every server.
func TestManifestNATSConfig(t *testing.T) {
	objs := readManifests(t)
	ss := k8sNamed(objs, "StatefulSet", "nats")
	cm := k8sNamed(objs, "ConfigMap", "nats-config")
	if ss == nil || cm == nil {
		t.Fatal("want the StatefulSet nats and the ConfigMap nats-config")
	}
	conf := filepath.Join(t.TempDir(), "nats.conf")
	if err := os.WriteFile(conf, []byte(cm.str("data", "nats.conf")), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("SERVER_NAME", "nats-0")
	opts, err := server.ProcessConfigFile(conf)
	if err != nil {
		t.Fatal(err)
	}
	if !opts.JetStream || opts.ServerName != "nats-0" {
		t.Errorf("jetstream %v, server name %q: want JetStream on, the name from SERVER_NAME", opts.JetStream, opts.ServerName)
	}
	n, _ := ss.get("spec", "replicas").(int)
	var peers, clients []string
	for i := range n {
		host := fmt.Sprintf("%s-%d.%s", ss.str("metadata", "name"), i, ss.str("spec", "serviceName"))
		peers = append(peers, "nats://"+host+":"+strconv.Itoa(opts.Cluster.Port))
		clients = append(clients, "nats://"+host+":"+strconv.Itoa(opts.Port))
	}
	var routes []string
	for _, r := range opts.Routes {
		routes = append(routes, r.String())
	}
	if !slices.Equal(routes, peers) || n < 3 {
		t.Errorf("routes %v, want every one of the %d servers: %v", routes, n, peers)
	}
	c := ss.list("spec", "template", "spec", "containers")[0]
	want := map[string]int{"client": opts.Port, "cluster": opts.Cluster.Port, "monitor": opts.HTTPPort}
	for _, p := range c.list("ports") {
		if got, _ := p.get("containerPort").(int); got != want[p.str("name")] {
			t.Errorf("container port %s is %d, the configuration's is %d", p.str("name"), got, want[p.str("name")])
		}
		delete(want, p.str("name"))
	}
	if len(want) > 0 {
		t.Errorf("container ports missing: %v", want)
	}
	mock := k8sNamed(objs, "Deployment", "p4p-mock").list("spec", "template", "spec", "containers")[0]
	var urls []string
	for _, a := range mock.strings("args") {
		if v, ok := strings.CutPrefix(a, "--nats="); ok {
			urls = strings.Split(v, ",")
		}
	}
	for _, u := range urls {
		if _, err := url.Parse(u); err != nil {
			t.Errorf("--nats %q: %v", u, err)
		}
	}
	if !slices.Equal(urls, clients) {
		t.Errorf("the mock's --nats %v, want every server %v", urls, clients)
	}
}
