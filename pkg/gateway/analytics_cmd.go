package gateway

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/mgwio/mgw/pkg/gateway/internal/usage"
)

// analyticsMain runs "<label> analytics upload [--config FILE] [--url URL]
// DIR": it uploads the rotated usage files in DIR with the analytics
// settings of the configuration, so files carried by hand from a site
// without a link to the analytics server reach it.
func analyticsMain(spec *Spec, name string, args, env []string, stdout, stderr io.Writer) int {
	usageText := func(w io.Writer) {
		fmt.Fprintf(w, "Usage: %s analytics upload [--config FILE] [--url URL] DIR\n\n", name)
		fmt.Fprintf(w, "Uploads the usage files api-usage-data.dat.<epochMs>.<uuid>.zip in DIR to the analytics server,\n")
		fmt.Fprintf(w, "oldest first, and deletes each one the server accepts (201). The URL, username, password and CA\n")
		fmt.Fprintf(w, "come from the analytics section of the configuration (MGW_ANALYTICS_UPLOAD_URL, MGW_ANALYTICS_USERNAME,\n")
		fmt.Fprintf(w, "MGW_ANALYTICS_PASSWORD or MGW_ANALYTICS_PASSWORD_FILE, MGW_ANALYTICS_CA_FILE).\n")
	}
	if len(args) == 0 || args[0] != "upload" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
			usageText(stdout)
			return exitOK
		}
		fmt.Fprintf(stderr, "%s analytics: the only command is \"upload\"\n", name)
		usageText(stderr)
		return exitUsage
	}
	fs := flag.NewFlagSet(name+" analytics upload", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	configFile := fs.String("config", "", "read configuration from this YAML `file`")
	url := fs.String("url", "", "upload to this `URL` instead of analytics.upload_url")
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			usageText(stdout)
			return exitOK
		}
		fmt.Fprintf(stderr, "%s analytics upload: %v\n", name, err)
		usageText(stderr)
		return exitUsage
	}
	if fs.NArg() != 1 {
		fmt.Fprintf(stderr, "%s analytics upload: give exactly one folder of usage files\n", name)
		usageText(stderr)
		return exitUsage
	}
	dir := fs.Arg(0)
	cfg, err := LoadConfig(spec, *configFile, env)
	if err != nil {
		printProblems(stderr, err)
		return exitError
	}
	a := cfg.Analytics
	if *url != "" {
		a.UploadURL = *url
	}
	var problems []string
	if a.UploadURL == "" {
		problems = append(problems, "no upload URL: set analytics.upload_url (MGW_ANALYTICS_UPLOAD_URL) or pass --url")
	} else if err := checkBackendURL(a.UploadURL); err != nil {
		problems = append(problems, "upload URL: "+err.Error())
	}
	if a.Password == "" {
		problems = append(problems, "no password for the analytics server: set MGW_ANALYTICS_PASSWORD or MGW_ANALYTICS_PASSWORD_FILE")
	}
	client, err := analyticsClient(a)
	if err != nil {
		problems = append(problems, err.Error())
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		problems = append(problems, fmt.Sprintf("%s is not a folder of usage files", dir))
	}
	if len(problems) > 0 {
		for _, p := range problems {
			fmt.Fprintf(stderr, "%s analytics upload: %s\n", name, p)
		}
		return exitError
	}
	names, err := usage.ListZips(dir)
	if err != nil {
		fmt.Fprintf(stderr, "%s analytics upload: %v\n", name, err)
		return exitError
	}
	if len(names) == 0 {
		fmt.Fprintf(stdout, "no usage files (api-usage-data.dat.<epochMs>.<uuid>.zip) in %s\n", dir)
		return exitOK
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	up := &usage.Uploader{URL: a.UploadURL, Username: a.Username, Password: a.Password.Reveal(), Client: client}
	n, err := up.UploadDir(ctx, dir)
	fmt.Fprintf(stdout, "uploaded %d of %d usage files from %s\n", n, len(names), dir)
	if err != nil {
		fmt.Fprintf(stderr, "%s analytics upload: %v; the remaining files are kept, run the command again\n", name, err)
		return exitError
	}
	return exitOK
}
