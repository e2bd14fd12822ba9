package apidef

import "github.com/mgwio/mgw/pkg/gateway"

// withoutSchemas returns a copy of api without compiled schemas, for tests
// about everything else.
func withoutSchemas(api gateway.API) gateway.API {
	api.Schemas = nil
	res := make([]gateway.Resource, len(api.Resources))
	copy(res, api.Resources)
	for i := range res {
		res[i].Validation = nil
	}
	if api.Resources != nil {
		api.Resources = res
	}
	return api
}
