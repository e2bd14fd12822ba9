package deploy

import (
	"fmt"
	"strconv"
	"strings"
)

func (t *target) service() object {
	var ports []servicePort
	if t.in.HTTPEnabled {
		ports = append(ports, servicePort{Name: "http", Port: t.in.HTTPPort, TargetPort: "http", Protocol: "TCP"})
	}
	if t.in.HTTPSEnabled {
		ports = append(ports, servicePort{Name: "https", Port: t.in.HTTPSPort, TargetPort: "https", Protocol: "TCP"})
	}
	return object{
		APIVersion: "v1",
		Kind:       "Service",
		Metadata:   meta{Name: t.name, Labels: t.labels},
		Spec:       serviceSpec{Type: t.cfg.Service.Type, Selector: t.selector, Ports: ports},
	}
}

// configData is the gateway.yaml the pod reads: the label's, or a comment
// when the label has none (an empty file is a valid configuration).
func (t *target) configData() string {
	if t.in.GatewayYAML == "" {
		return "# labels/<label>/gateway.yaml is absent: the built-in defaults apply.\n"
	}
	return t.in.GatewayYAML
}

func (t *target) configMap() object {
	return object{
		APIVersion: "v1",
		Kind:       "ConfigMap",
		Metadata:   meta{Name: t.name, Labels: t.labels},
		Data:       map[string]string{configKey: t.configData()},
	}
}

// secret is a stub listing the keys the pod reads, all empty. Real values
// never pass through mgw.
func (t *target) secret() object {
	keys := map[string]string{}
	for _, s := range t.secretEnv {
		keys[s] = ""
	}
	return object{
		APIVersion: "v1",
		Kind:       "Secret",
		Metadata:   meta{Name: t.name, Labels: t.labels},
		Type:       "Opaque",
		StringData: keys,
	}
}

// secretNote tells how to fill the Secret. Names in it are checked
// variable names and the DNS name, never free text.
func (t *target) secretNote() string {
	var b strings.Builder
	b.WriteString("A stub: the keys the gateway reads, with empty values. Do not commit real values.\n")
	b.WriteString("# Every key is optional; an empty or missing one leaves the variable unset.\n")
	b.WriteString("# Create the real Secret, in the namespace of the gateway, with for example:\n#\n")
	ns := ""
	if t.cfg.Namespace != "" {
		ns = " --namespace " + t.cfg.Namespace // a checked DNS label
	}
	fmt.Fprintf(&b, "#   kubectl create secret generic %s%s \\\n", t.name, ns)
	for _, s := range t.secretEnv {
		fmt.Fprintf(&b, "#     --from-literal=%s=\"$%s\" \\\n", s, s)
	}
	b.WriteString("#     --dry-run=client -o yaml | kubectl apply -f -\n#\n")
	b.WriteString("# or fill stringData below and kubectl apply -f it once. See docs/DEPLOY.md.\n")
	return b.String()
}

func (t *target) hpa() object {
	a := t.cfg.Autoscaling
	return object{
		APIVersion: "autoscaling/v2",
		Kind:       "HorizontalPodAutoscaler",
		Metadata:   meta{Name: t.name, Labels: t.labels},
		Spec: hpaSpec{
			ScaleTargetRef: crossVersionRef{APIVersion: "apps/v1", Kind: "Deployment", Name: t.name},
			MinReplicas:    a.MinReplicas,
			MaxReplicas:    a.MaxReplicas,
			Metrics: []metricSpec{{
				Type: "Resource",
				Resource: resourceMetric{
					Name:   "cpu",
					Target: metricTarget{Type: "Utilization", AverageUtilization: a.TargetCPUUtilizationPercentage},
				},
			}},
		},
	}
}

func (t *target) pdb() object {
	spec := pdbSpec{
		Selector: labelSelector{MatchLabels: t.selector},
		// A pod that is not ready protects nothing; let drains evict it.
		UnhealthyPodEvictionPolicy: "AlwaysAllow",
	}
	if d := t.cfg.Disruption; d.MinAvailable != "" {
		spec.MinAvailable = intOrString(d.MinAvailable)
	} else {
		spec.MaxUnavailable = intOrString(d.MaxUnavailable)
	}
	return object{
		APIVersion: "policy/v1",
		Kind:       "PodDisruptionBudget",
		Metadata:   meta{Name: t.name, Labels: t.labels},
		Spec:       spec,
	}
}

// intOrString renders "2" as the number 2 and "50%" as a string.
func intOrString(s string) any {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	return s
}

func (t *target) kustomization() kustomization {
	res := []string{ConfigMapFile, DeploymentFile}
	if t.cfg.Autoscaling.Enabled {
		res = append(res, HPAFile)
	}
	res = append(res, PDBFile, ServiceFile)
	return kustomization{
		APIVersion: "kustomize.config.k8s.io/v1beta1",
		Kind:       "Kustomization",
		Namespace:  t.cfg.Namespace,
		// The objects carry these already; listing them here labels
		// whatever a user adds to this kustomization too.
		Labels:    []labelsSpec{{Pairs: commonLabels(t.name), IncludeTemplates: true}},
		Resources: res,
	}
}
