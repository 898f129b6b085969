// Package k8s holds p4p's Kubernetes manifests; its test decodes every one
// strictly into the Kubernetes API's own types (an unknown or misspelt
// field fails, as kubeconform's strict schemas would fail it) and checks
// them against each other: images, probes, ports, volumes, secrets, and
// the shards the load Job runs and the merge reads. cmd/p4p's
// TestManifest* check the same files against p4p's own flag sets and
// nats-server's configuration parser.
package k8s

import (
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

func TestManifests(t *testing.T) {
	m := manifests{decodeAll(t, ".")}
	t.Run("kustomizations", func(t *testing.T) { checkKustomizations(t, m) })
	t.Run("images", func(t *testing.T) { checkImages(t, m) })
	t.Run("ports and probes", func(t *testing.T) { checkPorts(t, m) })
	t.Run("secrets", func(t *testing.T) { checkSecrets(t, m) })
	t.Run("references", func(t *testing.T) { checkReferences(t, m) })
	t.Run("nats", func(t *testing.T) { checkNATS(t, m) })
	t.Run("mock", func(t *testing.T) { checkMock(t, m) })
	t.Run("shards", func(t *testing.T) { checkShards(t, m) })
}

// Each kustomization lists every manifest beside it, and renames the p4p
// image.
func checkKustomizations(t *testing.T, m manifests) {
	for _, d := range m.docs {
		k, ok := d.obj.(*kustomization)
		if !ok {
			continue
		}
		dir := filepath.Dir(d.file)
		files, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
		var want []string
		for _, f := range files {
			if b := filepath.Base(f); b != "kustomization.yaml" {
				want = append(want, b)
			}
		}
		got := slices.Sorted(slices.Values(k.Resources))
		if !slices.Equal(got, want) {
			t.Errorf("%s: resources %v, want every manifest beside it %v", d.file, got, want)
		}
		if len(k.Images) != 1 || k.Images[0].Name != "p4p" {
			t.Errorf("%s: images %+v, want one entry for p4p", d.file, k.Images)
		}
	}
}

// Images are named without a registry host and with a tag; p4p's is
// "p4p", as make image tags it, and never pulled when present.
func checkImages(t *testing.T, m manifests) {
	for name, p := range m.pods() {
		for _, c := range p.Spec.Containers {
			first, _, _ := strings.Cut(c.Image, "/")
			if strings.ContainsAny(first, ".:") && strings.Contains(c.Image, "/") || first == "localhost" {
				t.Errorf("%s: container %s: image %q names a registry host", name, c.Name, c.Image)
			}
			switch {
			case c.Image == "p4p":
				if c.ImagePullPolicy != corev1.PullIfNotPresent {
					t.Errorf("%s: container %s: imagePullPolicy %q, want IfNotPresent for a loaded image", name, c.Name, c.ImagePullPolicy)
				}
				if len(c.Command) > 0 {
					t.Errorf("%s: container %s: command %q replaces the image's entrypoint", name, c.Name, c.Command)
				}
			case !strings.Contains(c.Image, ":"):
				t.Errorf("%s: container %s: image %q has no tag", name, c.Name, c.Image)
			}
			if c.Resources.Requests.Cpu().IsZero() || c.Resources.Limits.Memory().IsZero() {
				t.Errorf("%s: container %s: want a CPU request and a memory limit", name, c.Name)
			}
		}
	}
}

// mockPaths are the paths the mock serves that a probe may use.
var mockPaths = []string{"/healthz", "/readyz"}

// Every probe and Service targets a port its container declares; p4p's
// HTTP probes hit paths the mock serves, on the port it listens on.
func checkPorts(t *testing.T, m manifests) {
	for name, p := range m.pods() {
		for _, c := range p.Spec.Containers {
			for kind, pr := range map[string]*corev1.Probe{"readiness": c.ReadinessProbe, "liveness": c.LivenessProbe, "startup": c.StartupProbe} {
				if pr == nil {
					continue
				}
				var port intstr.IntOrString
				switch {
				case pr.HTTPGet != nil:
					port = pr.HTTPGet.Port
					if c.Image == "p4p" && !slices.Contains(mockPaths, pr.HTTPGet.Path) {
						t.Errorf("%s: %s probe on %q, which p4p does not serve", name, kind, pr.HTTPGet.Path)
					}
				case pr.TCPSocket != nil:
					port = pr.TCPSocket.Port
				default:
					continue
				}
				if _, ok := containerPort(c, port); !ok {
					t.Errorf("%s: %s probe on port %s, which container %s does not declare", name, kind, port.String(), c.Name)
				}
			}
			for _, cp := range c.Ports {
				if addr := flagValue(c.Args, "--addr"); addr != "" && !strings.HasSuffix(addr, ":"+strconv.Itoa(int(cp.ContainerPort))) {
					t.Errorf("%s: %s listens on %s, not on its declared port %d", name, c.Name, addr, cp.ContainerPort)
				}
			}
		}
	}
	for _, s := range all[corev1.Service](m) {
		p := podFor(m, s.Spec.Selector)
		if p == nil {
			t.Errorf("Service %s: selector %v matches no pod", s.Name, s.Spec.Selector)
			continue
		}
		for _, sp := range s.Spec.Ports {
			found := false
			for _, c := range p.Spec.Containers {
				_, ok := containerPort(c, sp.TargetPort)
				found = found || ok
			}
			if !found {
				t.Errorf("Service %s: port %s targets %s, which no container declares", s.Name, sp.Name, sp.TargetPort.String())
			}
		}
	}
}

func containerPort(c corev1.Container, p intstr.IntOrString) (int32, bool) {
	for _, cp := range c.Ports {
		if (p.Type == intstr.String && cp.Name == p.StrVal) || (p.Type == intstr.Int && cp.ContainerPort == p.IntVal) {
			return cp.ContainerPort, true
		}
	}
	return 0, false
}

func podFor(m manifests, selector map[string]string) *corev1.PodTemplateSpec {
	for _, p := range m.pods() {
		match := len(selector) > 0
		for k, v := range selector {
			match = match && p.Labels[k] == v
		}
		if match {
			return p
		}
	}
	return nil
}

// flagValue is the value of --name=value or --name value in args.
func flagValue(args []string, name string) string {
	for i, a := range args {
		if v, ok := strings.CutPrefix(a, name+"="); ok {
			return v
		}
		if a == name && i+1 < len(args) {
			return args[i+1]
		}
	}
	return ""
}

var secretName = regexp.MustCompile(`(?i)key|token|secret|password|credential`)

// Secrets come from a Secret, never from the manifests: no Secret object,
// no secret-looking variable with a literal value, no --key flag.
func checkSecrets(t *testing.T, m manifests) {
	for _, d := range m.docs {
		if _, ok := d.obj.(*corev1.Secret); ok {
			t.Errorf("%s: a Secret in the manifests; create it by hand", d.file)
		}
	}
	for name, p := range m.pods() {
		for _, c := range p.Spec.Containers {
			for _, e := range c.Env {
				if secretName.MatchString(e.Name) && (e.ValueFrom == nil || e.ValueFrom.SecretKeyRef == nil) {
					t.Errorf("%s: %s: %s is not from a Secret", name, c.Name, e.Name)
				}
			}
			for _, a := range c.Args {
				if a == "--key" || strings.HasPrefix(a, "--key=") || strings.Contains(a, "lftoken=") {
					t.Errorf("%s: %s: a secret in the arguments: %q", name, c.Name, a)
				}
			}
		}
	}
}

// Every ConfigMap and claim a pod mounts or reads is in the manifests
// (Secrets are created by hand), and every volume mounted is declared.
func checkReferences(t *testing.T, m manifests) {
	for name, p := range m.pods() {
		vols := map[string]bool{}
		for _, v := range p.Spec.Volumes {
			vols[v.Name] = true
			if v.ConfigMap != nil {
				if cm, _ := find[corev1.ConfigMap](m, v.ConfigMap.Name); cm == nil {
					t.Errorf("%s: volume %s: no ConfigMap %s", name, v.Name, v.ConfigMap.Name)
				} else {
					for _, it := range v.ConfigMap.Items {
						if _, ok := cm.Data[it.Key]; !ok {
							t.Errorf("%s: volume %s: ConfigMap %s has no key %s", name, v.Name, cm.Name, it.Key)
						}
					}
				}
			}
			if v.PersistentVolumeClaim != nil {
				if pvc, _ := find[corev1.PersistentVolumeClaim](m, v.PersistentVolumeClaim.ClaimName); pvc == nil {
					t.Errorf("%s: volume %s: no claim %s", name, v.Name, v.PersistentVolumeClaim.ClaimName)
				}
			}
		}
		for _, c := range p.Spec.Containers {
			for _, vm := range c.VolumeMounts {
				if !vols[vm.Name] && !claimTemplate(m, vm.Name) {
					t.Errorf("%s: %s mounts %s, which is not declared", name, c.Name, vm.Name)
				}
			}
			for _, e := range c.Env {
				if r := e.ValueFrom; r != nil && r.ConfigMapKeyRef != nil {
					if cm, _ := find[corev1.ConfigMap](m, r.ConfigMapKeyRef.Name); cm == nil || cm.Data[r.ConfigMapKeyRef.Key] == "" {
						t.Errorf("%s: %s: %s reads ConfigMap %s key %s, which is not there", name, c.Name, e.Name, r.ConfigMapKeyRef.Name, r.ConfigMapKeyRef.Key)
					}
				}
			}
		}
	}
}

func claimTemplate(m manifests, name string) bool {
	for _, s := range all[appsv1.StatefulSet](m) {
		for _, v := range s.Spec.VolumeClaimTemplates {
			if v.Name == name {
				return true
			}
		}
	}
	return false
}

// The NATS StatefulSet is governed by a headless Service that publishes
// its servers before they are ready (routes need the names to form the
// cluster), keeps JetStream on a claim per server, and has three servers.
func checkNATS(t *testing.T, m manifests) {
	ss, _ := find[appsv1.StatefulSet](m, "nats")
	if ss == nil {
		t.Fatal("no StatefulSet nats")
	}
	if ss.Spec.Replicas == nil || *ss.Spec.Replicas != 3 {
		t.Errorf("nats: replicas %v, want 3", ss.Spec.Replicas)
	}
	svc, _ := find[corev1.Service](m, ss.Spec.ServiceName)
	if svc == nil || svc.Spec.ClusterIP != corev1.ClusterIPNone || !svc.Spec.PublishNotReadyAddresses {
		t.Errorf("nats: serviceName %q: want a headless Service publishing not-ready addresses", ss.Spec.ServiceName)
	}
	if len(ss.Spec.VolumeClaimTemplates) != 1 {
		t.Fatalf("nats: %d claim templates, want 1", len(ss.Spec.VolumeClaimTemplates))
	}
	data := ss.Spec.VolumeClaimTemplates[0].Name
	cm, _ := find[corev1.ConfigMap](m, "nats-config")
	if cm == nil {
		t.Fatal("no ConfigMap nats-config")
	}
	dir := regexp.MustCompile(`store_dir:\s*(\S+)`).FindStringSubmatch(cm.Data["nats.conf"])
	c := ss.Spec.Template.Spec.Containers[0]
	if dir == nil || !slices.ContainsFunc(c.VolumeMounts, func(vm corev1.VolumeMount) bool { return vm.Name == data && vm.MountPath == dir[1] }) {
		t.Errorf("nats: JetStream's store_dir %v is not claim %s's mount", dir, data)
	}
}

// The mock runs at least two replicas, ready on /healthz.
func checkMock(t *testing.T, m manifests) {
	d, _ := find[appsv1.Deployment](m, "p4p-mock")
	if d == nil {
		t.Fatal("no Deployment p4p-mock")
	}
	if d.Spec.Replicas == nil || *d.Spec.Replicas < 2 {
		t.Errorf("p4p-mock: replicas %v, want 2 or more", d.Spec.Replicas)
	}
	c := d.Spec.Template.Spec.Containers[0]
	if c.Args[0] != "mock" {
		t.Errorf("p4p-mock runs %q, want p4p mock", c.Args)
	}
	if r := c.ReadinessProbe; r == nil || r.HTTPGet == nil || r.HTTPGet.Path != "/healthz" {
		t.Errorf("p4p-mock: readiness %+v, want GET /healthz", r)
	}
	if c.LivenessProbe == nil {
		t.Error("p4p-mock: no liveness probe")
	}
}

var shardFlag = regexp.MustCompile(`^(\d*)/(\d+)$`)

// The load Job is Indexed with one completion per shard, each shard
// writes its own directory on the shared claim, and the merge reads every
// one of them from the same claim.
func checkShards(t *testing.T, m manifests) {
	load, _ := find[batchv1.Job](m, "p4p-load")
	merge, _ := find[batchv1.Job](m, "p4p-merge")
	if load == nil || merge == nil {
		t.Fatalf("want Jobs p4p-load and p4p-merge, have %v and %v", load != nil, merge != nil)
	}
	c := load.Spec.Template.Spec.Containers[0]
	sm := shardFlag.FindStringSubmatch(flagValue(c.Args, "--shard"))
	if sm == nil || sm[1] != "" {
		t.Fatalf("p4p-load: --shard %q, want /N (the index from JOB_COMPLETION_INDEX)", flagValue(c.Args, "--shard"))
	}
	n, _ := strconv.Atoi(sm[2])
	if load.Spec.CompletionMode == nil || *load.Spec.CompletionMode != batchv1.IndexedCompletion {
		t.Errorf("p4p-load: completionMode %v, want Indexed", load.Spec.CompletionMode)
	}
	if load.Spec.Completions == nil || int(*load.Spec.Completions) != n {
		t.Errorf("p4p-load: completions %v, want %d, the shards of --shard /%d", load.Spec.Completions, n, n)
	}
	if load.Spec.Parallelism == nil || int(*load.Spec.Parallelism) != n {
		t.Errorf("p4p-load: parallelism %v, want %d: the shards run together", load.Spec.Parallelism, n)
	}
	dir := flagValue(c.Args, "--report-dir")
	ref := regexp.MustCompile(`\$\((\w+)\)`).FindStringSubmatch(dir)
	if ref == nil || !slices.ContainsFunc(c.Env, func(e corev1.EnvVar) bool {
		return e.Name == ref[1] && e.ValueFrom != nil && e.ValueFrom.FieldRef != nil &&
			e.ValueFrom.FieldRef.FieldPath == "metadata.annotations['batch.kubernetes.io/job-completion-index']"
	}) {
		t.Fatalf("p4p-load: --report-dir %q does not name the completion index", dir)
	}
	var want []string
	for i := range n {
		want = append(want, strings.Replace(dir, ref[0], strconv.Itoa(i), 1))
	}
	mc := merge.Spec.Template.Spec.Containers[0]
	var got []string
	for _, a := range mc.Args[2:] {
		if !strings.HasPrefix(a, "-") {
			got = append(got, a)
		}
	}
	if !slices.Equal(mc.Args[:2], []string{"report", "merge"}) || !slices.Equal(got, want) {
		t.Errorf("p4p-merge: %q, want report merge of %q", mc.Args, want)
	}
	if a, b := claimAt(load.Spec.Template.Spec, c, dir), claimAt(merge.Spec.Template.Spec, mc, want[0]); a == "" || a != b {
		t.Errorf("the shards write on claim %q, the merge reads claim %q", a, b)
	}
	if pvc, _ := find[corev1.PersistentVolumeClaim](m, claimAt(load.Spec.Template.Spec, c, dir)); pvc == nil ||
		!slices.Contains(pvc.Spec.AccessModes, corev1.ReadWriteMany) {
		t.Error("the reports claim is not ReadWriteMany: the shards' pods write it at once")
	}
}

// claimAt is the claim mounted where path lies.
func claimAt(p corev1.PodSpec, c corev1.Container, path string) string {
	for _, vm := range c.VolumeMounts {
		if !strings.HasPrefix(path, vm.MountPath+"/") {
			continue
		}
		for _, v := range p.Volumes {
			if v.Name == vm.Name && v.PersistentVolumeClaim != nil {
				return v.PersistentVolumeClaim.ClaimName
			}
		}
	}
	return ""
}
