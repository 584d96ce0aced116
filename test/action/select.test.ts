import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { globMatcher, globToRegExp, isDefaultTemplateName, listFiles, samconfigTemplates } from "../../src/action/globs.js";
import { selectTemplates } from "../../src/action/select.js";

describe("globs", () => {
  it("translates the usual glob syntax", () => {
    expect(globToRegExp("**/template.yaml").test("template.yaml")).toBe(true);
    expect(globToRegExp("**/template.yaml").test("a/b/template.yaml")).toBe(true);
    expect(globToRegExp("apps/*/template.y?ml").test("apps/x/template.yaml")).toBe(true);
    expect(globToRegExp("apps/*/template.yaml").test("apps/x/y/template.yaml")).toBe(false);
    expect(globToRegExp("*.{yaml,json}").test("t.json")).toBe(true);
    expect(globToRegExp("*.{yaml,json}").test("t.yml")).toBe(false);
    expect(globToRegExp("stack[12].yaml").test("stack2.yaml")).toBe(true);
    expect(globToRegExp("a.b(c)+").test("a.b(c)+")).toBe(true);
  });

  it("applies ! exclusions", () => {
    const match = globMatcher(["**/*.yaml", "!legacy/**"]);
    expect(match("svc/template.yaml")).toBe(true);
    expect(match("legacy/template.yaml")).toBe(false);
  });

  it("lists files without dependency and build folders, and reads samconfig template_file", async () => {
    const root = mkdtempSync(join(tmpdir(), "globs-"));
    for (const dir of ["svc", "node_modules/pkg", ".aws-sam/build", "infra"]) mkdirSync(join(root, dir), { recursive: true });
    writeFileSync(join(root, "svc/template.yaml"), "Resources: {}");
    writeFileSync(join(root, "node_modules/pkg/template.yaml"), "Resources: {}");
    writeFileSync(join(root, ".aws-sam/build/template.yaml"), "Resources: {}");
    writeFileSync(join(root, "infra/samconfig.toml"), 'version = 0.1\n[default.deploy.parameters]\ntemplate_file = "../stacks/api.yaml"\n[default.build.parameters]\ntemplate_file = "/abs/ignored.yaml"\n');
    writeFileSync(join(root, "samconfig.yaml"), "version: 0.1\ndefault:\n  build:\n    parameters:\n      template_file: infra/main.yml # main stack\n");
    const files = await listFiles(root);
    expect(files).toEqual(["infra/samconfig.toml", "samconfig.yaml", "svc/template.yaml"]);
    expect(await samconfigTemplates(root, files)).toEqual(["infra/main.yml", "stacks/api.yaml"]);
    expect(isDefaultTemplateName("a/template.JSON")).toBe(true);
    expect(isDefaultTemplateName("a/templates.yaml")).toBe(false);
  });
});

describe("selectTemplates", () => {
  const candidates = ["app/template.yaml", "moved/template.yaml", "other/template.yaml", "fresh/template.yaml"];
  const isTemplatePath = (p: string) => p.endsWith(".yaml");

  it("picks the templates a PR touches, with added, deleted and renamed handled", () => {
    const targets = selectTemplates({
      candidates,
      isTemplatePath,
      all: false,
      hasBase: true,
      pullFiles: [
        { filename: "app/template.yaml", status: "modified" },
        { filename: "app/handler.js", status: "modified" },
        { filename: "fresh/template.yaml", status: "added" },
        { filename: "gone/template.yaml", status: "removed" },
        { filename: "README.md", status: "removed" },
        { filename: "moved/template.yaml", status: "renamed", previous_filename: "old/template.yaml" },
        { filename: "notes/away.txt", status: "renamed", previous_filename: "away/template.yaml" },
      ],
    });
    expect(targets).toEqual([
      { file: "app/template.yaml", headPath: "app/template.yaml", basePath: "app/template.yaml" },
      { file: "away/template.yaml", headPath: null, basePath: "away/template.yaml" },
      { file: "fresh/template.yaml", headPath: "fresh/template.yaml", basePath: null },
      { file: "gone/template.yaml", headPath: null, basePath: "gone/template.yaml" },
      { file: "moved/template.yaml", headPath: "moved/template.yaml", basePath: "old/template.yaml" },
    ]);
  });

  it("adds every template with scope all, and analyses all without a PR", () => {
    const pr = selectTemplates({ candidates, isTemplatePath, all: true, hasBase: true, pullFiles: [{ filename: "fresh/template.yaml", status: "added" }] });
    expect(pr.map((t) => [t.file, t.basePath])).toEqual([
      ["app/template.yaml", "app/template.yaml"],
      ["fresh/template.yaml", null],
      ["moved/template.yaml", "moved/template.yaml"],
      ["other/template.yaml", "other/template.yaml"],
    ]);
    const dispatch = selectTemplates({ candidates, isTemplatePath, all: false, hasBase: false, pullFiles: null });
    expect(dispatch).toHaveLength(4);
    expect(dispatch.every((t) => t.basePath === undefined)).toBe(true);
  });

  it("returns nothing when the PR touches no template", () => {
    expect(selectTemplates({ candidates, isTemplatePath, all: false, hasBase: true, pullFiles: [{ filename: "src/x.ts", status: "modified" }] })).toEqual([]);
  });
});
