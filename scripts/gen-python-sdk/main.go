// gen-python-sdk writes the Python SDK of a Pulumi package from its schema, with Pulumi's own
// Python code generator (github.com/pulumi/pulumi/pkg/v3/codegen/python), the code that
// `pulumi package add` / `pulumi package gen-sdk --language python` run inside the Python language
// host (pulumi-language-python). That host's module is not served by the Go module proxy, so the
// CLI built by scripts/install-pulumi cannot generate Python SDKs; this program does the same steps
// the host's GeneratePackage does (bind the schema, python.GeneratePackage, write the files), with
// SupportPack on as `pulumi package add` sets it (the SDK's version is the schema's).
//
//	gen-python-sdk <schema.json> <out-dir>
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/blang/semver"
	python "github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

// noPackages is the schema loader: the gpucloud schema references no other package (only
// pulumi.json#/... built-in types, which the binder resolves itself), so any load is an error.
type noPackages struct{}

func (noPackages) err(name string) error {
	return fmt.Errorf("the schema references package %q; gen-python-sdk loads no other packages", name)
}

func (l noPackages) LoadPackage(pkg string, _ *semver.Version) (*schema.Package, error) {
	return nil, l.err(pkg)
}

func (l noPackages) LoadPackageV2(_ context.Context, d *schema.PackageDescriptor) (*schema.Package, error) {
	return nil, l.err(d.Name)
}

func (l noPackages) LoadPackageReference(pkg string, _ *semver.Version) (schema.PackageReference, error) {
	return nil, l.err(pkg)
}

func (l noPackages) LoadPackageReferenceV2(
	_ context.Context, d *schema.PackageDescriptor,
) (schema.PackageReference, error) {
	return nil, l.err(d.Name)
}

func run(schemaPath, out string) error {
	text, err := os.ReadFile(schemaPath)
	if err != nil {
		return err
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(text, &spec); err != nil {
		return fmt.Errorf("parse %s: %w", schemaPath, err)
	}
	// The options of the CLI's packages.BindSpec and of the Python host's GeneratePackage.
	pkg, diags, err := schema.BindSpec(spec, noPackages{}, schema.ValidationOptions{AllowDanglingReferences: true})
	if err != nil {
		return fmt.Errorf("bind %s: %w", schemaPath, err)
	}
	for _, d := range diags {
		fmt.Fprintf(os.Stderr, "gen-python-sdk: %s\n", d.Error())
	}
	if diags.HasErrors() {
		return errors.New("the schema has errors")
	}
	pkg.SupportPack = true
	files, err := python.GeneratePackage("pulumi-language-python", pkg, map[string][]byte{}, noPackages{})
	if err != nil {
		return fmt.Errorf("generate: %w", err)
	}
	if err := os.RemoveAll(out); err != nil {
		return err
	}
	for name, data := range files {
		path := filepath.Join(out, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			return err
		}
	}
	fmt.Fprintf(os.Stderr, "gen-python-sdk: wrote %d files of %s %s to %s\n", len(files), pkg.Name, pkg.Version, out)
	return nil
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: gen-python-sdk <schema.json> <out-dir>")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintf(os.Stderr, "gen-python-sdk: %v\n", err)
		os.Exit(1)
	}
}
