package deploy

// FileName is the deploy configuration file inside a label's folder.
const FileName = "deploy.yaml"

// Config is labels/<label>/deploy.yaml: how the label's gateway runs on
// Kubernetes. Load fills the defaults for every key left out.
type Config struct {
	// Image is the container image reference; empty means the image
	// mgw build produced (Inputs.Image) or mgw/<name>:latest.
	Image string `yaml:"image"`
	// Namespace, when set, is written into kustomization.yaml.
	Namespace string `yaml:"namespace"`
	// Replicas is the fixed pod count when autoscaling is off.
	Replicas int32 `yaml:"replicas"`
	// Resources are the gateway container's requests and limits.
	Resources Resources `yaml:"resources"`
	// Autoscaling configures the HorizontalPodAutoscaler.
	Autoscaling Autoscaling `yaml:"autoscaling"`
	// Disruption configures the PodDisruptionBudget.
	Disruption Disruption `yaml:"disruption"`
	// Env holds non-secret environment variables (MGW_LOG_FORMAT: json …).
	Env map[string]string `yaml:"env"`
	// SecretEnv names further variables taken from the label's Secret,
	// in addition to the ones the gateway's configuration needs.
	SecretEnv []string `yaml:"secretEnv"`
	// Service configures the Service in front of the pods.
	Service Service `yaml:"service"`
	// PodAnnotations are added to the pod template (e.g. for a mesh or
	// a metrics scraper).
	PodAnnotations map[string]string `yaml:"podAnnotations"`

	// replicasSet records that deploy.yaml set replicas explicitly.
	replicasSet bool
}

// Resources are Kubernetes quantities; an empty value leaves that entry
// out of the manifest.
type Resources struct {
	Requests ResourceList `yaml:"requests"`
	Limits   ResourceList `yaml:"limits"`
}

// ResourceList is a CPU and a memory quantity, such as "100m" and "64Mi".
type ResourceList struct {
	CPU    string `yaml:"cpu"`
	Memory string `yaml:"memory"`
}

// Autoscaling configures an autoscaling/v2 HorizontalPodAutoscaler on CPU
// utilisation (relative to the CPU request).
type Autoscaling struct {
	Enabled                        bool  `yaml:"enabled"`
	MinReplicas                    int32 `yaml:"minReplicas"`
	MaxReplicas                    int32 `yaml:"maxReplicas"`
	TargetCPUUtilizationPercentage int32 `yaml:"targetCPUUtilizationPercentage"`
}

// Disruption configures the policy/v1 PodDisruptionBudget: set one of
// MinAvailable and MaxUnavailable, as a count ("1") or a percentage
// ("50%").
type Disruption struct {
	MinAvailable   string `yaml:"minAvailable"`
	MaxUnavailable string `yaml:"maxUnavailable"`
}

// Service configures the Service.
type Service struct {
	// Type is ClusterIP, NodePort or LoadBalancer.
	Type string `yaml:"type"`
}

// Defaults returns the configuration used for every key deploy.yaml leaves
// out. docs/DEPLOY.md explains the resource figures.
func Defaults() *Config {
	return &Config{
		Replicas: 2,
		Resources: Resources{
			Requests: ResourceList{CPU: "100m", Memory: "64Mi"},
			Limits:   ResourceList{CPU: "1", Memory: "128Mi"},
		},
		Autoscaling: Autoscaling{
			Enabled:                        true,
			MinReplicas:                    2,
			MaxReplicas:                    6,
			TargetCPUUtilizationPercentage: 70,
		},
		Disruption: Disruption{MaxUnavailable: "1"},
		Service:    Service{Type: "ClusterIP"},
	}
}
