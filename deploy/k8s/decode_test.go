package k8s

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	sigsjson "sigs.k8s.io/json"
	"sigs.k8s.io/yaml"
)

// kinds are the objects the manifests may hold, by apiVersion and kind.
var kinds = map[string]func() any{
	"v1/ConfigMap":                  func() any { return new(corev1.ConfigMap) },
	"v1/Service":                    func() any { return new(corev1.Service) },
	"v1/PersistentVolumeClaim":      func() any { return new(corev1.PersistentVolumeClaim) },
	"v1/Secret":                     func() any { return new(corev1.Secret) },
	"apps/v1/Deployment":            func() any { return new(appsv1.Deployment) },
	"apps/v1/StatefulSet":           func() any { return new(appsv1.StatefulSet) },
	"batch/v1/Job":                  func() any { return new(batchv1.Job) },
	"policy/v1/PodDisruptionBudget": func() any { return new(policyv1.PodDisruptionBudget) },
	"kustomize.config.k8s.io/v1beta1/Kustomization": func() any { return new(kustomization) },
}

// kustomization is the part of kustomize's file these manifests use.
type kustomization struct {
	APIVersion string   `json:"apiVersion"`
	Kind       string   `json:"kind"`
	Resources  []string `json:"resources"`
	Images     []struct {
		Name    string `json:"name"`
		NewName string `json:"newName,omitempty"`
		NewTag  string `json:"newTag,omitempty"`
	} `json:"images"`
}

// doc is one decoded object and where it came from.
type doc struct {
	file string
	obj  any
}

// decodeAll decodes every document of every YAML file under dir.
func decodeAll(t *testing.T, dir string) []doc {
	t.Helper()
	var docs []doc
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(path) != ".yaml" {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for i, part := range docSeparator.Split(string(data), -1) {
			if strings.TrimSpace(stripComments(part)) == "" {
				continue
			}
			obj, err := decode([]byte(part))
			if err != nil {
				return fmt.Errorf("%s, document %d: %w", path, i+1, err)
			}
			docs = append(docs, doc{path, obj})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) == 0 {
		t.Fatalf("no manifests under %s", dir)
	}
	return docs
}

var (
	docSeparator = regexp.MustCompile(`(?m)^---\s*$`)
	commentLine  = regexp.MustCompile(`(?m)^\s*#.*$`)
)

func stripComments(s string) string { return commentLine.ReplaceAllString(s, "") }

// decode decodes one document strictly: duplicate keys, unknown fields
// and fields in the wrong case are errors.
func decode(data []byte) (any, error) {
	js, err := yaml.YAMLToJSONStrict(data)
	if err != nil {
		return nil, err
	}
	var tm metav1.TypeMeta
	if err := sigsjson.UnmarshalCaseSensitivePreserveInts(js, &tm); err != nil {
		return nil, err
	}
	newObj, ok := kinds[tm.APIVersion+"/"+tm.Kind]
	if !ok {
		return nil, fmt.Errorf("unexpected kind %s %s", tm.APIVersion, tm.Kind)
	}
	obj := newObj()
	strict, err := sigsjson.UnmarshalStrict(js, obj)
	if err != nil {
		return nil, err
	}
	if len(strict) > 0 {
		return nil, fmt.Errorf("%s: %v", tm.Kind, strict)
	}
	return obj, nil
}

// TestStrictDecoding proves the decoder refuses what a schema would.
func TestStrictDecoding(t *testing.T) {
	for name, y := range map[string]string{
		"unknown field":   "apiVersion: v1\nkind: Service\nspec:\n  clusterIp: None\n",
		"misspelt nested": "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: a\n          imagePullPolicy: IfNotPresent\n          readinesProbe: {}\n",
		"duplicate key":   "apiVersion: v1\nkind: ConfigMap\ndata:\n  a: b\n  a: c\n",
		"wrong type":      "apiVersion: apps/v1\nkind: Deployment\nspec:\n  replicas: two\n",
		"unknown kind":    "apiVersion: v1\nkind: Podd\n",
	} {
		if _, err := decode([]byte(y)); err == nil {
			t.Errorf("%s: decoded without an error", name)
		}
	}
	if _, err := decode([]byte("apiVersion: v1\nkind: Service\nspec:\n  clusterIP: None\n")); err != nil {
		t.Errorf("a valid Service: %v", err)
	}
}

// manifests are the decoded objects of a directory tree.
type manifests struct {
	docs []doc
}

func find[T any](m manifests, name string) (*T, string) {
	for _, d := range m.docs {
		if o, ok := d.obj.(*T); ok && any(o).(metav1.Object).GetName() == name {
			return o, d.file
		}
	}
	return nil, ""
}

func all[T any](m manifests) []*T {
	var out []*T
	for _, d := range m.docs {
		if o, ok := d.obj.(*T); ok {
			out = append(out, o)
		}
	}
	return out
}

// pods is every pod template, named by its workload.
func (m manifests) pods() map[string]*corev1.PodTemplateSpec {
	pods := map[string]*corev1.PodTemplateSpec{}
	for _, d := range all[appsv1.Deployment](m) {
		pods["Deployment "+d.Name] = &d.Spec.Template
	}
	for _, s := range all[appsv1.StatefulSet](m) {
		pods["StatefulSet "+s.Name] = &s.Spec.Template
	}
	for _, j := range all[batchv1.Job](m) {
		pods["Job "+j.Name] = &j.Spec.Template
	}
	return pods
}
