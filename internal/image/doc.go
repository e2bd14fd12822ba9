// Package image packs built gateways into an OCI image, with no container
// daemon: one layer holding the static binary and the few files a
// distroless image has (passwd/group entries for the non-root user, a CA
// bundle, a writable home and /tmp), a config that runs the gateway as user
// 65532, and an OCI image layout written as one tar file
// (dist/<label>.oci.tar) or pushed to a registry.
//
// The image format, digests and the registry protocol come from
// go-containerregistry; this package only decides what goes into the image
// and keeps every byte of it reproducible.
package image
