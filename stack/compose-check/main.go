// Command compose-check loads a Compose file with compose-go, the Compose Specification's
// reference loader that Docker Compose v2 itself uses, the way `docker compose config` does:
// the .env file (or --env-file), the environment, interpolation, schema validation,
// normalization and the consistency checks. No Docker engine is involved.
//
// Several -f merge as `docker compose -f a -f b` merges them (the Compose Specification's merge
// rules, paths relative to the first file's folder). On success it prints one line, or with --json the resolved project (bind sources made
// absolute) for the tests to inspect; on failure the loader's error and exit status 1.
//
// Built by `make compose-check` into the obskit cache, like the stack's other Go mains.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/compose-spec/compose-go/v2/cli"
)

// files collects every -f, in order.
type files []string

func (f *files) String() string     { return strings.Join(*f, ",") }
func (f *files) Set(v string) error { *f = append(*f, v); return nil }

func main() {
	var composeFiles files
	flag.Var(&composeFiles, "f", "a Compose file; several merge in order (default compose/docker-compose.yml)")
	envFile := flag.String("env-file", "", "the env file (default: .env beside the Compose file, if any)")
	asJSON := flag.Bool("json", false, "print the resolved project as JSON")
	flag.Parse()
	if len(composeFiles) == 0 {
		composeFiles = files{"compose/docker-compose.yml"}
	}

	var envFiles []string
	if *envFile != "" {
		envFiles = append(envFiles, *envFile)
	}
	// The options `docker compose` itself passes, in its order: the process environment wins
	// over the env file.
	options, err := cli.NewProjectOptions(composeFiles,
		cli.WithWorkingDirectory(filepath.Dir(composeFiles[0])),
		cli.WithOsEnv,
		cli.WithEnvFiles(envFiles...),
		cli.WithDotEnv,
		cli.WithResolvedPaths(true),
	)
	if err != nil {
		fail(err)
	}
	project, err := options.LoadProject(context.Background())
	if err != nil {
		fail(err)
	}
	if *asJSON {
		out, err := project.MarshalJSON()
		if err != nil {
			fail(err)
		}
		fmt.Println(string(out))
		return
	}
	fmt.Printf("%s: valid, project %s, %d services: %s\n",
		strings.Join(composeFiles, " + "), project.Name, len(project.Services), strings.Join(project.ServiceNames(), ", "))
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "compose-check:", err)
	os.Exit(1)
}
