package gateway

// Validation is an operation's compiled OpenAPI schemas: what `mgw build`
// resolved from the definition (parameters, JSON request body, JSON
// responses), as plain data. The gateway turns it into a validator once,
// at start (validation_compile.go); no schema is parsed per request.
//
// Schema references are 1-based indices into the API's Schemas; 0 means
// none, so that the zero value (omitted by the literal writer) is "none".
type Validation struct {
	// Request reports that the definition asks for request validation
	// (x-wso2-request-validation on the operation, else on the API).
	Request bool
	// Params are the operation's path, query, header and cookie
	// parameters.
	Params []ParamRule
	// Body is the request body, or nil when the operation declares none.
	Body *BodyRule
	// Responses are the JSON response schemas by status ("200", "2XX",
	// "default").
	Responses []ResponseRule
	// Skipped explains why the operation has no compiled schemas: its
	// schemas could not be compiled and the definition did not ask for
	// validation (then it is a build error instead).
	Skipped string
}

// Parameter locations of a ParamRule.
const (
	ParamPath   = "path"
	ParamQuery  = "query"
	ParamHeader = "header"
	ParamCookie = "cookie"
)

// Parameter serialization styles of a ParamRule (OpenAPI 3.0).
const (
	StyleSimple         = "simple"
	StyleLabel          = "label"
	StyleMatrix         = "matrix"
	StyleForm           = "form"
	StyleSpaceDelimited = "spaceDelimited"
	StylePipeDelimited  = "pipeDelimited"
	StyleDeepObject     = "deepObject"
)

// ParamRule is one parameter of an operation.
type ParamRule struct {
	// Name is the parameter's name; header names are canonical.
	Name string
	// In is ParamPath, ParamQuery, ParamHeader or ParamCookie.
	In string
	// Style is how the value is serialized (StyleSimple, ...); "" is the
	// location's default: simple for path and header, form for query and
	// cookie.
	Style string
	// Required rejects a request without the parameter.
	Required bool
	// AllowEmpty accepts an empty query value without checking the schema
	// (allowEmptyValue).
	AllowEmpty bool
	// Explode is the OpenAPI explode flag as the style uses it (repeated
	// query parameters, "a=1,b=2" objects, ";id=1;id=2" matrix arrays).
	Explode bool
	// Content marks a parameter described by content (application/json)
	// instead of schema: its text is JSON.
	Content bool
	// KeepExtra keeps the undeclared properties of an object parameter
	// as strings (additionalProperties: true); without it, and without
	// an additionalProperties schema, they are dropped before the check,
	// as kin-openapi's openapi3filter does.
	KeepExtra bool
	// Schema is the parameter's schema (1-based index into API.Schemas).
	Schema int
}

// BodyRule is an operation's request body.
type BodyRule struct {
	// Required rejects a request without a body.
	Required bool
	// JSON is the schema of the JSON media type (application/json or a
	// +json type), 1-based; 0 when the operation takes no JSON.
	JSON int
	// MediaTypes are the declared media types, lower case, without
	// parameters (e.g. "application/json", "application/xml", "*/*").
	MediaTypes []string
}

// ResponseRule is the JSON schema of one declared response.
type ResponseRule struct {
	// Status is "200", "2XX" or "default".
	Status string
	// JSON is the schema (1-based); 0 when the response has no JSON body.
	JSON int
}

// Schema is one compiled OpenAPI schema object. Keywords the gateway does
// not check (descriptions, examples, discriminator, xml, readOnly) are
// left out at build time. Fields follow the OpenAPI 3.0 keywords; Has*
// flags mark the numeric keywords that are set.
type Schema struct {
	// Empty marks a schema without constraints: any value but null.
	Empty bool
	// False marks the boolean schema false (OpenAPI 3.1): no value.
	False bool
	// Types are the allowed JSON types ("object", "array", "string",
	// "integer", "number", "boolean", "null"); empty allows any.
	Types []string
	// Nullable allows null (OpenAPI 3.0).
	Nullable bool
	// Format is the format keyword; unknown formats are not checked.
	Format string
	// Enum lists the allowed values as JSON texts.
	Enum []string

	Minimum    float64
	HasMinimum bool
	Maximum    float64
	HasMaximum bool
	// ExclusiveMinimum and ExclusiveMaximum make Minimum and Maximum
	// exclusive (OpenAPI 3.0).
	ExclusiveMinimum bool
	ExclusiveMaximum bool
	// ExclusiveMinValue and ExclusiveMaxValue are exclusive bounds of
	// their own (OpenAPI 3.1).
	ExclusiveMinValue    float64
	HasExclusiveMinValue bool
	ExclusiveMaxValue    float64
	HasExclusiveMaxValue bool
	// MultipleOf is the divisor; 0 means none.
	MultipleOf float64

	MinLength    int64
	MaxLength    int64
	HasMaxLength bool
	// Pattern is a Go (RE2) regular expression, unanchored.
	Pattern string

	// Items is the array items' schema (1-based); 0 means any.
	Items       int
	MinItems    int64
	MaxItems    int64
	HasMaxItems bool
	UniqueItems bool

	// Properties are the declared properties, sorted by name.
	Properties []Property
	// Required lists the properties an object must have.
	Required []string
	// NoAdditional refuses properties not in Properties.
	NoAdditional bool
	// Additional is the schema of other properties (1-based); 0 means any.
	Additional       int
	MinProperties    int64
	MaxProperties    int64
	HasMaxProperties bool

	// AllOf, AnyOf and OneOf are 1-based schema indices.
	AllOf []int
	AnyOf []int
	OneOf []int
	// Not is a 1-based schema index; 0 means none.
	Not int
}

// Property is one declared property of an object schema.
type Property struct {
	Name string
	// Schema is the property's schema (1-based).
	Schema int
}
