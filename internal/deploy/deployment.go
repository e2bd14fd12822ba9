package deploy

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"math"
	"strings"
	"time"
)

// deployment is the gateway's Deployment: one hardened container, probes
// on the gateway's health endpoints and a grace period that covers its
// drain.
func (t *target) deployment() object {
	c := t.cfg
	spec := deploymentSpec{
		RevisionHistoryLimit: 5,
		Selector:             labelSelector{MatchLabels: t.selector},
		Strategy: strategy{
			Type: "RollingUpdate",
			// Start new pods before stopping old ones: capacity never drops.
			RollingUpdate: rollingUpdate{MaxSurge: "25%", MaxUnavailable: 0},
		},
		Template: podTemplate{
			Metadata: meta{Labels: t.labels, Annotations: t.podAnnotations()},
			Spec: podSpec{
				AutomountServiceAccountToken:  false,
				EnableServiceLinks:            false,
				TerminationGracePeriodSeconds: t.gracePeriod(),
				SecurityContext: podSecurityContext{
					RunAsNonRoot:   true,
					RunAsUser:      nonRootID,
					RunAsGroup:     nonRootID,
					SeccompProfile: seccompProfile{Type: "RuntimeDefault"},
				},
				TopologySpreadConstraints: []topologySpread{{
					MaxSkew:           1,
					TopologyKey:       "kubernetes.io/hostname",
					WhenUnsatisfiable: "ScheduleAnyway",
					LabelSelector:     labelSelector{MatchLabels: t.selector},
				}},
				Containers: []container{t.container()},
				Volumes:    t.volumes(),
			},
		},
	}
	if !c.Autoscaling.Enabled {
		r := c.Replicas
		spec.Replicas = &r // with an HPA, the HPA owns the count
	}
	apis, _ := json.Marshal(nonNil(t.in.APIs))
	return object{
		APIVersion: "apps/v1",
		Kind:       "Deployment",
		Metadata: meta{
			Name:   t.name,
			Labels: t.labels,
			Annotations: map[string]string{
				annotationPrefix + "label": t.in.Label,
				annotationPrefix + "apis":  string(apis),
			},
		},
		Spec: spec,
	}
}

// podAnnotations are deploy.yaml's plus a hash of gateway.yaml, so a
// changed configuration rolls the pods (a ConfigMap change alone would
// not restart them).
func (t *target) podAnnotations() map[string]string {
	a := map[string]string{}
	for k, v := range t.cfg.PodAnnotations {
		a[k] = v
	}
	sum := sha256.Sum256([]byte(t.configData()))
	a[annotationPrefix+"config-sha256"] = hex.EncodeToString(sum[:])
	return a
}

// gracePeriod covers the whole drain: the preStop sleep while endpoints
// are removed, server.shutdown_delay with readiness failing,
// server.shutdown_grace for in-flight requests, and a margin to exit.
func (t *target) gracePeriod() int64 {
	return preStopSeconds + seconds(t.in.ShutdownDelay) + seconds(t.in.ShutdownGrace) + drainMarginSecs
}

// seconds rounds d up to whole seconds.
func seconds(d time.Duration) int64 {
	return int64(math.Ceil(d.Seconds()))
}

func (t *target) container() container {
	probePort, scheme := "http", "HTTP"
	var ports []containerPort
	if t.in.HTTPEnabled {
		ports = append(ports, containerPort{Name: "http", ContainerPort: t.in.HTTPPort, Protocol: "TCP"})
	} else {
		probePort, scheme = "https", "HTTPS"
	}
	if t.in.HTTPSEnabled {
		ports = append(ports, containerPort{Name: "https", ContainerPort: t.in.HTTPSPort, Protocol: "TCP"})
	}
	mounts := []volumeMount{
		{Name: "config", MountPath: configDir, ReadOnly: true},
		{Name: "tmp", MountPath: "/tmp"},
	}
	if t.analyticsVolume() {
		mounts = append(mounts, volumeMount{Name: "analytics", MountPath: t.analytics})
	}
	return container{
		Name:            "gateway",
		Image:           t.image,
		ImagePullPolicy: "IfNotPresent",
		Args:            []string{"--config", configDir + "/" + configKey},
		Ports:           ports,
		Env:             t.env(),
		Resources:       t.resources(),
		// Readiness fails while starting and draining (CONFIG.md), so
		// traffic goes only to a pod that serves it.
		ReadinessProbe: probe{
			HTTPGet:       httpGet{Path: "/health/ready", Port: probePort, Scheme: scheme},
			PeriodSeconds: 5, TimeoutSeconds: 2, FailureThreshold: 2,
		},
		// Liveness only asks whether the process answers at all.
		LivenessProbe: probe{
			HTTPGet:       httpGet{Path: "/health", Port: probePort, Scheme: scheme},
			PeriodSeconds: 10, TimeoutSeconds: 2, FailureThreshold: 3,
		},
		Lifecycle: lifecycle{PreStop: lifecycleHandler{Sleep: sleepAction{Seconds: preStopSeconds}}},
		SecurityContext: containerSecurityContext{
			AllowPrivilegeEscalation: false,
			ReadOnlyRootFilesystem:   true,
			RunAsNonRoot:             true,
			Capabilities:             capabilities{Drop: []string{"ALL"}},
		},
		VolumeMounts: mounts,
	}
}

// analyticsVolume says the analytics folder needs its own emptyDir (one
// under /tmp is on the tmp volume already).
func (t *target) analyticsVolume() bool {
	return t.analytics != "" && t.analytics != "/tmp" && !strings.HasPrefix(t.analytics, "/tmp/")
}

// env lists deploy.yaml's variables, the analytics folder when the
// configured one is relative, then every secret from the Secret
// (optional, so a key left out just leaves the variable unset).
func (t *target) env() []envVar {
	var out []envVar
	for _, n := range sortedKeys(t.cfg.Env) {
		v := t.cfg.Env[n]
		out = append(out, envVar{Name: n, Value: &v})
	}
	if t.analytics != "" && t.analytics != t.in.AnalyticsDir {
		v := t.analytics
		out = append(out, envVar{Name: "MGW_ANALYTICS_DIR", Value: &v})
	}
	for _, s := range t.secretEnv {
		out = append(out, envVar{Name: s, ValueFrom: &envVarSource{
			SecretKeyRef: secretKeySelector{Name: t.name, Key: s, Optional: true},
		}})
	}
	return out
}

func (t *target) resources() resources {
	r := t.cfg.Resources
	list := func(l ResourceList) map[string]string {
		m := map[string]string{}
		if l.CPU != "" {
			m["cpu"] = l.CPU
		}
		if l.Memory != "" {
			m["memory"] = l.Memory
		}
		return m
	}
	return resources{Requests: list(r.Requests), Limits: list(r.Limits)}
}

func (t *target) volumes() []volume {
	v := []volume{
		{Name: "config", ConfigMap: &configMapVolume{Name: t.name}},
		{Name: "tmp", EmptyDir: &emptyDir{SizeLimit: "64Mi"}},
	}
	if t.analyticsVolume() {
		v = append(v, volume{Name: "analytics", EmptyDir: &emptyDir{}})
	}
	return v
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
