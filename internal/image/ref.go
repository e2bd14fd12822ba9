package image

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"
)

// Ref is an image name with a tag, such as registry.example.com/team/gw:1.4
// or mgw/demo (tag latest on Docker Hub).
type Ref struct {
	tag name.Tag
}

// ParseRef reads an image reference with an optional tag. A digest is
// refused: an image being built has no digest until it is built.
func ParseRef(s string) (Ref, error) {
	if s == "" {
		return Ref{}, fmt.Errorf("image reference is empty: use a name such as registry.example.com/team/gateway:1.0")
	}
	if strings.Contains(s, "://") {
		return Ref{}, fmt.Errorf("invalid image reference %q: leave out the URL scheme, e.g. registry.example.com/team/gateway:1.0", s)
	}
	if strings.Contains(s, "@") {
		return Ref{}, fmt.Errorf("image reference %q has a digest: name the image with a tag instead (e.g. %s:1.0); its digest is known once it is built", s, strings.SplitN(s, "@", 2)[0])
	}
	t, err := name.NewTag(s, name.WeakValidation)
	if err != nil {
		return Ref{}, fmt.Errorf("invalid image reference %q: use [registry/]repository[:tag] with a lower-case repository, e.g. registry.example.com/team/gateway:1.0 (%v)", s, err)
	}
	if err := checkParts(s, t.Context()); err != nil {
		return Ref{}, err
	}
	return Ref{tag: t}, nil
}

// CheckReference checks an image reference a pod will run: a tag or a
// digest, e.g. registry.example.com/team/gw:1.0 or
// registry:5000/team/gw@sha256:<64 hex>.
func CheckReference(s string) error {
	if strings.Contains(s, "://") {
		return fmt.Errorf("invalid image reference %q: leave out the URL scheme, e.g. registry.example.com/team/gateway:1.0", s)
	}
	r, err := name.ParseReference(s, name.WeakValidation)
	if err != nil {
		return fmt.Errorf("invalid image reference %q: use [registry/]repository[:tag|@digest] with a lower-case repository (%v)", s, err)
	}
	return checkParts(s, r.Context())
}

// checkParts holds the registry and repository to the distribution
// grammar. go-containerregistry is lenient here ("." and quotes pass as a
// registry, ".a" as a repository part); a name that lands in annotations
// and manifests must be a real one.
func checkParts(s string, repo name.Repository) error {
	if reg := repo.RegistryStr(); !registryHost.MatchString(reg) {
		return fmt.Errorf("invalid image reference %q: registry %q is not a host name, IP address or host:port", s, reg)
	}
	// go-containerregistry checks the length before it adds Docker Hub's
	// "library/", so a name it accepts could name an image it refuses.
	if r := repo.RepositoryStr(); len(r) > maxRepoLen {
		return fmt.Errorf("invalid image reference %q: the repository is %d characters long, at most %d are allowed (a Docker Hub name without a namespace counts its library/ prefix)", truncateRef(s), len(r), maxRepoLen)
	}
	for _, c := range strings.Split(repo.RepositoryStr(), "/") {
		if !repoComponent.MatchString(c) {
			return fmt.Errorf("invalid image reference %q: repository part %q must be lower-case letters and digits joined by '.', '_', \"__\" or '-'", s, c)
		}
	}
	return nil
}

// maxRepoLen is the longest repository name registries take.
const maxRepoLen = 255

// truncateRef shortens a reference quoted in an error.
func truncateRef(s string) string {
	if len(s) > 80 {
		return s[:77] + "..."
	}
	return s
}

// repoComponent is one path component of a repository name.
var repoComponent = regexp.MustCompile(`^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$`)

// registryHost is a DNS name, IPv4 or bracketed IPv6 address, with an
// optional port.
var registryHost = regexp.MustCompile(`^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?$`)

// nonRepoChars are the characters a label may have that a repository
// name may not.
var nonRepoChars = regexp.MustCompile(`[^a-z0-9._-]+`)

// DefaultRef is the image name used when none is given: mgw/<label>:latest,
// with the label lower-cased as repositories must be.
func DefaultRef(label string) (Ref, error) {
	repo := strings.Trim(nonRepoChars.ReplaceAllString(strings.ToLower(label), "-"), "._-")
	if repo == "" {
		return Ref{}, fmt.Errorf("label %q gives no image name: pass --image REF", label)
	}
	return ParseRef("mgw/" + repo + ":latest")
}

// String is the reference as given, e.g. "mgw/demo:latest".
func (r Ref) String() string { return r.tag.String() }

// Name is the fully qualified name, e.g. "index.docker.io/mgw/demo:latest".
func (r Ref) Name() string { return r.tag.Name() }

// IsZero reports whether r is unset.
func (r Ref) IsZero() bool { return r.tag.Identifier() == "" }

// Tag is the parsed reference, for pushing.
func (r Ref) Tag() name.Tag { return r.tag }
