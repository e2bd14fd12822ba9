package deploy

// The subset of the Kubernetes object model the manifests use, in the
// field order kubectl shows. Field names follow the API exactly; the
// OpenAPI test (k8sschema_test.go) checks them against Kubernetes' own
// schemas with unknown fields refused.

type object struct {
	APIVersion string            `yaml:"apiVersion"`
	Kind       string            `yaml:"kind"`
	Metadata   meta              `yaml:"metadata"`
	Type       string            `yaml:"type,omitempty"`
	Data       map[string]string `yaml:"data,omitempty"`
	StringData map[string]string `yaml:"stringData,omitempty"`
	Spec       any               `yaml:"spec,omitempty"`
}

type meta struct {
	Name        string            `yaml:"name,omitempty"`
	Labels      map[string]string `yaml:"labels,omitempty"`
	Annotations map[string]string `yaml:"annotations,omitempty"`
}

type labelSelector struct {
	MatchLabels map[string]string `yaml:"matchLabels"`
}

type deploymentSpec struct {
	Replicas             *int32        `yaml:"replicas,omitempty"`
	RevisionHistoryLimit int32         `yaml:"revisionHistoryLimit"`
	Selector             labelSelector `yaml:"selector"`
	Strategy             strategy      `yaml:"strategy"`
	Template             podTemplate   `yaml:"template"`
}

type strategy struct {
	Type          string        `yaml:"type"`
	RollingUpdate rollingUpdate `yaml:"rollingUpdate"`
}

type rollingUpdate struct {
	MaxSurge       any `yaml:"maxSurge"`
	MaxUnavailable any `yaml:"maxUnavailable"`
}

type podTemplate struct {
	Metadata meta    `yaml:"metadata"`
	Spec     podSpec `yaml:"spec"`
}

type podSpec struct {
	AutomountServiceAccountToken  bool               `yaml:"automountServiceAccountToken"`
	EnableServiceLinks            bool               `yaml:"enableServiceLinks"`
	TerminationGracePeriodSeconds int64              `yaml:"terminationGracePeriodSeconds"`
	SecurityContext               podSecurityContext `yaml:"securityContext"`
	TopologySpreadConstraints     []topologySpread   `yaml:"topologySpreadConstraints"`
	Containers                    []container        `yaml:"containers"`
	Volumes                       []volume           `yaml:"volumes"`
}

type podSecurityContext struct {
	RunAsNonRoot   bool           `yaml:"runAsNonRoot"`
	RunAsUser      int64          `yaml:"runAsUser"`
	RunAsGroup     int64          `yaml:"runAsGroup"`
	SeccompProfile seccompProfile `yaml:"seccompProfile"`
}

type seccompProfile struct {
	Type string `yaml:"type"`
}

type topologySpread struct {
	MaxSkew           int32         `yaml:"maxSkew"`
	TopologyKey       string        `yaml:"topologyKey"`
	WhenUnsatisfiable string        `yaml:"whenUnsatisfiable"`
	LabelSelector     labelSelector `yaml:"labelSelector"`
}

type container struct {
	Name            string                   `yaml:"name"`
	Image           string                   `yaml:"image"`
	ImagePullPolicy string                   `yaml:"imagePullPolicy"`
	Args            []string                 `yaml:"args"`
	Ports           []containerPort          `yaml:"ports"`
	Env             []envVar                 `yaml:"env,omitempty"`
	Resources       resources                `yaml:"resources"`
	ReadinessProbe  probe                    `yaml:"readinessProbe"`
	LivenessProbe   probe                    `yaml:"livenessProbe"`
	Lifecycle       lifecycle                `yaml:"lifecycle"`
	SecurityContext containerSecurityContext `yaml:"securityContext"`
	VolumeMounts    []volumeMount            `yaml:"volumeMounts"`
}

type containerPort struct {
	Name          string `yaml:"name"`
	ContainerPort int    `yaml:"containerPort"`
	Protocol      string `yaml:"protocol"`
}

type envVar struct {
	Name      string        `yaml:"name"`
	Value     *string       `yaml:"value,omitempty"`
	ValueFrom *envVarSource `yaml:"valueFrom,omitempty"`
}

type envVarSource struct {
	SecretKeyRef secretKeySelector `yaml:"secretKeyRef"`
}

type secretKeySelector struct {
	Name     string `yaml:"name"`
	Key      string `yaml:"key"`
	Optional bool   `yaml:"optional"`
}

type resources struct {
	Requests map[string]string `yaml:"requests,omitempty"`
	Limits   map[string]string `yaml:"limits,omitempty"`
}

type probe struct {
	HTTPGet          httpGet `yaml:"httpGet"`
	PeriodSeconds    int32   `yaml:"periodSeconds"`
	TimeoutSeconds   int32   `yaml:"timeoutSeconds"`
	FailureThreshold int32   `yaml:"failureThreshold"`
}

type httpGet struct {
	Path   string `yaml:"path"`
	Port   string `yaml:"port"`
	Scheme string `yaml:"scheme"`
}

type lifecycle struct {
	PreStop lifecycleHandler `yaml:"preStop"`
}

type lifecycleHandler struct {
	Sleep sleepAction `yaml:"sleep"`
}

type sleepAction struct {
	Seconds int64 `yaml:"seconds"`
}

type containerSecurityContext struct {
	AllowPrivilegeEscalation bool         `yaml:"allowPrivilegeEscalation"`
	ReadOnlyRootFilesystem   bool         `yaml:"readOnlyRootFilesystem"`
	RunAsNonRoot             bool         `yaml:"runAsNonRoot"`
	Capabilities             capabilities `yaml:"capabilities"`
}

type capabilities struct {
	Drop []string `yaml:"drop"`
}

type volumeMount struct {
	Name      string `yaml:"name"`
	MountPath string `yaml:"mountPath"`
	ReadOnly  bool   `yaml:"readOnly,omitempty"`
}

type volume struct {
	Name      string           `yaml:"name"`
	ConfigMap *configMapVolume `yaml:"configMap,omitempty"`
	EmptyDir  *emptyDir        `yaml:"emptyDir,omitempty"`
}

type configMapVolume struct {
	Name string `yaml:"name"`
}

type emptyDir struct {
	SizeLimit string `yaml:"sizeLimit,omitempty"`
}

type serviceSpec struct {
	Type     string            `yaml:"type"`
	Selector map[string]string `yaml:"selector"`
	Ports    []servicePort     `yaml:"ports"`
}

type servicePort struct {
	Name       string `yaml:"name"`
	Port       int    `yaml:"port"`
	TargetPort string `yaml:"targetPort"`
	Protocol   string `yaml:"protocol"`
}

type hpaSpec struct {
	ScaleTargetRef crossVersionRef `yaml:"scaleTargetRef"`
	MinReplicas    int32           `yaml:"minReplicas"`
	MaxReplicas    int32           `yaml:"maxReplicas"`
	Metrics        []metricSpec    `yaml:"metrics"`
}

type crossVersionRef struct {
	APIVersion string `yaml:"apiVersion"`
	Kind       string `yaml:"kind"`
	Name       string `yaml:"name"`
}

type metricSpec struct {
	Type     string         `yaml:"type"`
	Resource resourceMetric `yaml:"resource"`
}

type resourceMetric struct {
	Name   string       `yaml:"name"`
	Target metricTarget `yaml:"target"`
}

type metricTarget struct {
	Type               string `yaml:"type"`
	AverageUtilization int32  `yaml:"averageUtilization"`
}

type pdbSpec struct {
	MinAvailable               any           `yaml:"minAvailable,omitempty"`
	MaxUnavailable             any           `yaml:"maxUnavailable,omitempty"`
	Selector                   labelSelector `yaml:"selector"`
	UnhealthyPodEvictionPolicy string        `yaml:"unhealthyPodEvictionPolicy"`
}

type kustomization struct {
	APIVersion string       `yaml:"apiVersion"`
	Kind       string       `yaml:"kind"`
	Namespace  string       `yaml:"namespace,omitempty"`
	Labels     []labelsSpec `yaml:"labels"`
	Resources  []string     `yaml:"resources"`
}

type labelsSpec struct {
	Pairs            map[string]string `yaml:"pairs"`
	IncludeSelectors bool              `yaml:"includeSelectors"`
	IncludeTemplates bool              `yaml:"includeTemplates"`
}
