package image

import (
	"context"
	"fmt"

	"github.com/google/go-containerregistry/pkg/authn"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// Push uploads the images to ref: one image as is, several as a
// multi-platform index. Credentials come from the Docker config
// ($DOCKER_CONFIG/config.json or ~/.docker/config.json, credential helpers
// included), as docker push finds them. Registries on localhost and
// 127.0.0.1 are spoken to over plain HTTP. The tag is written last, so a
// failed push never leaves a tag pointing at a partial image.
func Push(ctx context.Context, ref Ref, imgs []v1.Image) error {
	opts := []remote.Option{
		remote.WithContext(ctx),
		remote.WithAuthFromKeychain(authn.DefaultKeychain),
		remote.WithUserAgent("mgw"),
	}
	var err error
	if len(imgs) == 1 {
		err = remote.Write(ref.Tag(), imgs[0], opts...)
	} else {
		err = remote.WriteIndex(ref.Tag(), MultiPlatform(imgs), opts...)
	}
	if err != nil {
		return fmt.Errorf("push %s: %w (check that the registry %s is reachable and that 'docker login %s' has stored credentials)", ref, err, ref.Tag().RegistryStr(), ref.Tag().RegistryStr())
	}
	return nil
}
