package cli

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/mgwio/mgw/internal/buildinfo"
	"github.com/mgwio/mgw/internal/prompt"
	"github.com/mgwio/mgw/internal/workspace"
	"github.com/mgwio/mgw/pkg/apidef"
	"github.com/mgwio/mgw/pkg/apim"
	"github.com/mgwio/mgw/pkg/policy"
)

// scopes setup needs: APIs and throttling policies.
var setupScopes = []string{apim.ScopeAPIView, apim.ScopeTierView, apim.ScopeBlacklistView}

type setupOptions struct {
	serverURL     string
	username      string
	passwordStdin bool
	caFile        string
	insecure      bool
	apiName       string
	apiVersion    string
	force         bool
	skipInvalid   bool
	timeout       time.Duration
	apimVersion   string
}

func newSetupCmd(g *globals) *cobra.Command {
	o := &setupOptions{}
	cmd := &cobra.Command{
		Use:   "setup <label>",
		Short: "Pull every API of a label and the throttling policies from the API Manager",
		Long: `Setup pulls every published API of an API Manager label, and the application,
subscription and advanced throttling policies and the blocking conditions,
into the workspace:

  mgw.yaml                               connection details and labels (never a password)
  labels/<label>/apis/<name>-<version>.yaml   one OpenAPI 3 document per API, with x-wso2-* extensions
  labels/<label>/policies.yaml           throttling policies and blocking conditions

Running it again updates the label and reports what changed. A setup that
fails leaves the workspace exactly as it was.

The password comes from --password-stdin, MGW_PASSWORD, or a prompt on a
terminal; it is never written anywhere.

Setup speaks API Manager 2.6, 3.x and 4.x and finds out which one it talks
to (newest first); --apim-version forces one and is remembered in mgw.yaml
("auto" goes back to detection). API Manager 4.x has no Microgateway labels:
there the label is the name of a gateway environment, and setup pulls the
revision of each API deployed to it.`,
		Example: `  # interactive, on a terminal
  mgw setup retail

  # in CI
  export MGW_SERVER_URL=https://apim.example.com:9443 MGW_USERNAME=ci
  echo "$APIM_PASSWORD" | mgw setup retail --password-stdin --ca-file apim-ca.pem

  # one API instead of a whole label
  mgw setup pizza -a PizzaShackAPI --api-version 1.0.0

  # API Manager 4.x: the APIs deployed to gateway environment "Default"
  mgw setup Default --apim-version 4.x`,
		Args: exactArgs(1, "one label"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runSetup(cmd.Context(), g, o, args[0])
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.serverURL, "server-url", "s", "", "API Manager base `URL`, e.g. https://apim:9443 (env MGW_SERVER_URL)")
	f.StringVarP(&o.username, "username", "u", "", "API Manager user (env MGW_USERNAME)")
	f.BoolVar(&o.passwordStdin, "password-stdin", false, "read the password from standard input (else MGW_PASSWORD or a prompt)")
	f.StringVar(&o.caFile, "ca-file", "", "trust the CA certificates in this PEM `file` for the API Manager")
	f.BoolVarP(&o.insecure, "insecure", "k", false, "skip TLS certificate verification (not recommended)")
	f.StringVarP(&o.apiName, "api-name", "a", "", "pull only the API with this `name` (needs --api-version)")
	f.StringVar(&o.apiVersion, "api-version", "", "version of the API named by --api-name")
	f.BoolVarP(&o.force, "force", "f", false, "overwrite files of the label that were edited by hand")
	f.BoolVar(&o.skipInvalid, "skip-invalid", false, "leave out APIs, policies and blocking conditions mgw cannot use (each named in a warning) instead of failing")
	f.DurationVar(&o.timeout, "timeout", 30*time.Second, "timeout of each request to the API Manager")
	f.StringVar(&o.apimVersion, "apim-version", "", "API Manager `version`: 2.6, 3.x, 4.x, or auto to detect it (env MGW_APIM_VERSION; default: mgw.yaml, else auto)")
	return cmd
}

// connection is everything needed to talk to the API Manager.
type connection struct {
	serverURL, username, password string
}

func runSetup(ctx context.Context, g *globals, o *setupOptions, label string) error {
	if err := workspace.ValidateLabelName(label); err != nil {
		return usageError{err}
	}
	if (o.apiName == "") != (o.apiVersion == "") {
		return usagef("--api-name and --api-version go together: give both to pull one API, or neither to pull the whole label")
	}
	if o.timeout <= 0 {
		return usagef("--timeout must be positive, e.g. 30s")
	}
	dir, err := g.workdir()
	if err != nil {
		return err
	}
	ws, err := workspace.OpenOrNew(dir)
	if err != nil {
		return err
	}
	if l := ws.Config.Label(label); l != nil && l.Source == workspace.SourceImport && !o.force {
		return fmt.Errorf("label %q was created by 'mgw import'; setup would replace its APIs with the API Manager's: pass -f/--force to do so, or choose another label name", label)
	}
	ui := g.ui()
	server := ws.Config.Server
	if server == nil {
		server = &workspace.Server{}
	}
	conn, err := resolveConnection(g, o, server)
	if err != nil {
		return err
	}
	caFile := firstNonEmpty(o.caFile, server.CAFile)
	insecure := o.insecure
	if insecure {
		ui.Warnf("TLS certificate verification is off (-k/--insecure): anyone on the network path can read the password and the APIs; prefer --ca-file")
	}
	cfg := apim.Config{
		ServerURL: conn.serverURL, CAFile: caFile, Insecure: insecure, Timeout: o.timeout,
		Logger: debugLogger(g), UserAgent: "mgw/" + buildinfo.Get().Version,
	}
	forced, remember, err := forcedVersion(g, o, server)
	if err != nil {
		return err
	}
	client, err := connect(ctx, cfg, forced, ui)
	if err != nil {
		return err
	}
	version := client.Version()
	creds, err := authenticate(ctx, ws, client, conn, ui)
	if err != nil {
		return err
	}

	// Pull the APIs.
	var apis []apim.API
	ref := (*workspace.APIRef)(nil)
	switch {
	case o.apiName != "":
		ref = &workspace.APIRef{Name: o.apiName, Version: o.apiVersion}
	case ws.Config.Label(label) != nil && ws.Config.Label(label).API != nil:
		ref = ws.Config.Label(label).API
	}
	if ref != nil {
		ui.Infof("pulling API %s %s from %s", ref.Name, ref.Version, conn.serverURL)
		api, err := client.APIByNameVersion(ctx, label, ref.Name, ref.Version)
		if err != nil {
			return err
		}
		apis = []apim.API{api}
	} else {
		if version == apim.V4 {
			ui.Infof("pulling the APIs deployed to gateway environment %q from %s", label, conn.serverURL)
		} else {
			ui.Infof("pulling label %q from %s", label, conn.serverURL)
		}
		apis, err = client.APIsByLabel(ctx, label, func(done, total int) { ui.Progress("APIs fetched", done, total) })
		if err != nil {
			return err // an empty label is apim.ErrNotFound, naming the label
		}
	}
	files := workspace.LabelFiles{}
	used := map[string]bool{}
	var invalid workspace.Problems
	for _, a := range apis {
		data, err := convertAPI(a)
		if err != nil {
			invalid = append(invalid, err)
			continue
		}
		name := workspace.APIFileName(a.Name, a.Version)
		if used[name] {
			sum := sha256.Sum256([]byte(a.Name + "\x00" + a.Version))
			name = strings.TrimSuffix(name, ".yaml") + "-" + hex.EncodeToString(sum[:4]) + ".yaml"
		}
		used[name] = true
		files[workspace.APIsDir+"/"+name] = data
	}
	if len(invalid) > 0 {
		if !o.skipInvalid {
			return fmt.Errorf("%d of %d APIs cannot be used; fix them in the API Manager, or pass --skip-invalid to leave them out:\n%w", len(invalid), len(apis), invalid.Lines())
		}
		for _, e := range invalid {
			ui.Warnf("skipping %v", e)
		}
		if len(files) == 0 {
			return fmt.Errorf("no API of label %q can be used; nothing was written", label)
		}
	}

	// Pull the policies.
	pdata, err := pullPolicies(ctx, client, o.skipInvalid, ui)
	if err != nil {
		return err
	}
	files[workspace.PoliciesFile] = pdata

	// Remember the connection (never the password) and commit atomically.
	server.URL = conn.serverURL
	server.Username = conn.username
	server.CAFile = caFile
	server.APIMVersion = remember
	server.RESTVersion = version.RESTVersion()
	server.DCRVersion = version.DCRVersion()
	ws.Config.Server = server
	ws.Config.SetLabel(workspace.Label{Name: label, Source: workspace.SourceAPIM, API: ref})
	changes, err := ws.CommitLabel(label, files, o.force)
	if err != nil {
		return err
	}
	if err := ws.SaveCredentials(creds, conn.password); err != nil {
		ui.Warnf("could not cache the access token: %v", err)
	}
	reportChanges(ui, label, len(files.APIFiles()), changes)
	return nil
}

// forcedVersion returns the API Manager version the user asked for (empty:
// detect) and the value mgw.yaml keeps: a version given with the flag is
// remembered, "auto" forgets it, MGW_APIM_VERSION is not written.
func forcedVersion(g *globals, o *setupOptions, server *workspace.Server) (apim.Version, string, error) {
	remember := server.APIMVersion
	raw := server.APIMVersion
	switch {
	case o.apimVersion != "":
		raw, remember = o.apimVersion, o.apimVersion
	case g.getenv("MGW_APIM_VERSION") != "":
		raw = g.getenv("MGW_APIM_VERSION")
	}
	if strings.EqualFold(raw, "auto") {
		if o.apimVersion != "" {
			remember = ""
		}
		return "", remember, nil
	}
	if raw == "" {
		return "", remember, nil
	}
	v, err := apim.ParseVersion(raw)
	if err != nil {
		return "", "", usagef("--apim-version: %v (or auto to detect it)", err)
	}
	if remember != "" {
		remember = string(v)
	}
	return v, remember, nil
}

// connect returns a client for the forced version, after checking that the
// server offers that version's REST API, or for the detected one.
func connect(ctx context.Context, cfg apim.Config, forced apim.Version, ui *printer) (*apim.Client, error) {
	if forced == "" {
		v, err := apim.Detect(ctx, cfg)
		if err != nil {
			return nil, err
		}
		ui.Infof("the server at %s is an %s", cfg.ServerURL, v.Product())
		cfg.Version = v
		return apim.New(cfg)
	}
	cfg.Version = forced
	client, err := apim.New(cfg)
	if err != nil {
		return nil, err
	}
	if err := client.Probe(ctx); err != nil {
		return nil, err
	}
	return client, nil
}

// pullPolicies fetches the three policy levels and renders policies.yaml.
// With skipInvalid, policies mgw cannot use are left out with a warning.
func pullPolicies(ctx context.Context, client *apim.Client, skipInvalid bool, ui *printer) ([]byte, error) {
	levels := []string{apim.LevelApplication, apim.LevelSubscription, apim.LevelAdvanced}
	lists := make([][]apim.ThrottlePolicy, len(levels))
	for i, level := range levels {
		ps, err := client.Policies(ctx, level)
		if err != nil {
			return nil, err
		}
		if level == apim.LevelAdvanced {
			if ps, err = withConditionalGroups(ctx, client, ps); err != nil {
				return nil, err
			}
		}
		lists[i] = ps
	}
	pf, err := policy.FromAdmin(lists[0], lists[1], lists[2])
	if err != nil && skipInvalid {
		// Keep each policy that converts on its own.
		for i := range lists {
			var kept []apim.ThrottlePolicy
			for _, p := range lists[i] {
				one := make([][]apim.ThrottlePolicy, len(levels))
				one[i] = []apim.ThrottlePolicy{p}
				if _, perr := policy.FromAdmin(one[0], one[1], one[2]); perr != nil {
					ui.Warnf("skipping %s policy %q: %v", levels[i], p.PolicyName, perr)
					continue
				}
				kept = append(kept, p)
			}
			lists[i] = kept
		}
		pf, err = policy.FromAdmin(lists[0], lists[1], lists[2])
	}
	if err != nil {
		return nil, fmt.Errorf("throttling policies from the API Manager: %w", err)
	}
	if pf.Blocking, err = pullBlocking(ctx, client, skipInvalid, ui); err != nil {
		return nil, err
	}
	return policy.Marshal(pf)
}

// pullBlocking fetches the blocking conditions. One mgw cannot enforce (an
// unknown type, a value it cannot read) fails setup naming it; with
// skipInvalid it is left out with a warning instead.
func pullBlocking(ctx context.Context, client *apim.Client, skipInvalid bool, ui *printer) ([]policy.BlockingCondition, error) {
	list, err := client.BlockingConditions(ctx)
	if err != nil {
		return nil, err
	}
	out, err := policy.BlockingFromAdmin(list)
	if err == nil || !skipInvalid {
		if err != nil {
			return nil, fmt.Errorf("blocking conditions from the API Manager (pass --skip-invalid to leave out the ones mgw cannot enforce): %w", err)
		}
		return out, nil
	}
	var kept []apim.BlockingCondition
	for _, b := range list {
		if _, perr := policy.BlockingFromAdmin([]apim.BlockingCondition{b}); perr != nil {
			ui.Warnf("skipping blocking condition %s: %v", b.ConditionID, perr)
			continue
		}
		kept = append(kept, b)
	}
	return policy.BlockingFromAdmin(kept)
}

// withConditionalGroups replaces each advanced policy of the list (which
// the Admin API sends without conditional groups) by the full policy.
func withConditionalGroups(ctx context.Context, client *apim.Client, list []apim.ThrottlePolicy) ([]apim.ThrottlePolicy, error) {
	out := make([]apim.ThrottlePolicy, 0, len(list))
	for _, p := range list {
		if p.PolicyID == "" {
			return nil, fmt.Errorf("advanced throttling policy %q has no policyId, so its conditional groups cannot be fetched", p.PolicyName)
		}
		full, err := client.AdvancedPolicy(ctx, p.PolicyID)
		if err != nil {
			return nil, fmt.Errorf("advanced throttling policy %q: %w", p.PolicyName, err)
		}
		out = append(out, full)
	}
	return out, nil
}

// convertAPI turns one API DTO into its workspace document.
func convertAPI(a apim.API) ([]byte, error) {
	doc, err := apidef.FromPublisher(a)
	if err != nil {
		return nil, err
	}
	data, err := apidef.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("API %s %s: %w", a.Name, a.Version, err)
	}
	return data, nil
}

// resolveConnection takes each value from its flag, its variable, mgw.yaml
// or a prompt, in that order.
func resolveConnection(g *globals, o *setupOptions, server *workspace.Server) (connection, error) {
	p := prompt.New(g.stdin, g.stderr)
	var c connection
	var err error
	c.serverURL = firstNonEmpty(o.serverURL, g.getenv("MGW_SERVER_URL"), server.URL)
	if c.serverURL == "" {
		if c.serverURL, err = p.Ask(prompt.Question{Message: "API Manager URL", Default: "https://localhost:9443", Flag: "--server-url", Env: "MGW_SERVER_URL"}); err != nil {
			return c, usageError{err}
		}
	}
	c.serverURL = strings.TrimRight(c.serverURL, "/")
	c.username = firstNonEmpty(o.username, g.getenv("MGW_USERNAME"), server.Username)
	if c.username == "" {
		if c.username, err = p.Ask(prompt.Question{Message: "API Manager username", Flag: "--username", Env: "MGW_USERNAME"}); err != nil {
			return c, usageError{err}
		}
	}
	switch {
	case o.passwordStdin:
		c.password, err = readPassword(g.stdin)
		if err != nil {
			return c, err
		}
	case g.getenv("MGW_PASSWORD") != "":
		c.password = g.getenv("MGW_PASSWORD")
	default:
		if c.password, err = p.Ask(prompt.Question{Message: "Password for " + c.username, Flag: "--password-stdin", Env: "MGW_PASSWORD", Secret: true}); err != nil {
			return c, usageError{err}
		}
	}
	return c, nil
}

// readPassword reads the first line of r.
func readPassword(r io.Reader) (string, error) {
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password from standard input: %w", err)
	}
	pw := strings.TrimRight(line, "\r\n")
	if pw == "" {
		return "", usagef("--password-stdin: standard input is empty; pipe the password in, e.g. echo \"$PASSWORD\" | mgw setup ...")
	}
	return pw, nil
}

// authenticate reuses the cached token while it is valid, else registers
// the client (or reuses the cached one) and asks for a token.
func authenticate(ctx context.Context, ws *workspace.Workspace, client *apim.Client, conn connection, ui *printer) (*workspace.Credentials, error) {
	now := time.Now()
	cached := ws.LoadCredentials(conn.serverURL, conn.username, conn.password)
	if cached != nil && cached.TokenValid(now) && hasScopes(cached.Scope, setupScopes) {
		ui.Debugf("reusing the cached access token (valid until %s)", cached.ExpiresAt.Format(time.RFC3339))
		client.SetAccessToken(cached.AccessToken)
		return cached, nil
	}
	creds := &workspace.Credentials{ServerURL: conn.serverURL, Username: conn.username}
	if cached != nil && cached.ClientID != "" {
		creds.ClientID, creds.ClientSecret = cached.ClientID, cached.ClientSecret
	}
	for attempt := 0; ; attempt++ {
		if creds.ClientID == "" {
			ui.Debugf("registering the mgw client with the API Manager")
			reg, err := client.Register(ctx, conn.username, conn.password)
			if err != nil {
				return nil, err
			}
			creds.ClientID, creds.ClientSecret = reg.ClientID, reg.ClientSecret
		}
		tok, err := client.PasswordToken(ctx, creds.ClientID, creds.ClientSecret, conn.username, conn.password, setupScopes)
		if err != nil {
			if attempt == 0 && cached != nil && errors.Is(err, apim.ErrCredentials) {
				// The cached client may have been deleted: register anew once.
				creds.ClientID, creds.ClientSecret = "", ""
				continue
			}
			return nil, err
		}
		creds.AccessToken, creds.Scope = tok.AccessToken, tok.Scope
		creds.ExpiresAt = now.Add(time.Duration(tok.ExpiresIn) * time.Second)
		client.SetAccessToken(tok.AccessToken)
		return creds, nil
	}
}

func hasScopes(granted string, want []string) bool {
	have := map[string]bool{}
	for _, s := range strings.Fields(granted) {
		have[s] = true
	}
	for _, w := range want {
		if !have[w] {
			return false
		}
	}
	return true
}

func reportChanges(ui *printer, label string, apis int, c workspace.Changes) {
	if c.Empty() {
		ui.Printf("Label %s is up to date: no changes since the previous setup (%d APIs).", label, apis)
		return
	}
	ui.Printf("Label %s: %d APIs in labels/%s.", label, apis, label)
	for _, p := range c.Added {
		ui.Printf("  added    %s", p)
	}
	for _, p := range c.Changed {
		ui.Printf("  changed  %s", p)
	}
	for _, p := range c.Removed {
		ui.Printf("  removed  %s", p)
	}
	if c.PoliciesChanged {
		ui.Printf("  changed  %s", workspace.PoliciesFile)
	}
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}
