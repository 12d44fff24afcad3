import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Template } from "aws-cdk-lib/assertions";

let dir: string | undefined;

/**
 * A stand-in for the built web app (`packages/web/dist`) that the stack deploys: infra tests synthesize
 * without running Vite, and do not depend on whether another test built the real one.
 */
export const builtWebApp = (): string => {
  if (dir) return dir;
  dir = join(tmpdir(), `khuyenhoc-web-app-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "index.html"), "<!doctype html><title>khuyenhoc</title>");
  mkdirSync(join(dir, "assets"), { recursive: true });
  writeFileSync(join(dir, "assets", "index-0000.js"), "export {};");
  return dir;
};

/**
 * The `config.json` a stack's BucketDeployment writes, read from the cloud assembly in `outdir`, each
 * deploy-time value shown as the CloudFormation it resolves from (`{"Ref":"…"}` in place of the marker).
 */
export const deployedWebConfig = (template: Template, outdir: string): Record<string, unknown> => {
  const staged = (properties: Record<string, unknown>) =>
    (properties.SourceObjectKeys as string[]).map((key) =>
      join(outdir, `asset.${key.replace(/\.zip$/, "")}`, "config.json"),
    );
  const deployments = Object.values(template.findResources("Custom::CDKBucketDeployment")).filter((d) =>
    staged(d.Properties).some((file) => existsSync(file)),
  );
  if (deployments.length !== 1) throw new Error(`expected one config.json, found ${deployments.length}`);
  const properties = deployments[0]?.Properties ?? {};
  const markers = properties.SourceMarkers as Record<string, unknown>[];
  const files = staged(properties);
  const source = files.findIndex((file) => existsSync(file));
  return JSON.parse(readFileSync(files[source] ?? "", "utf8"), (_key, value: unknown) =>
    typeof value === "string"
      ? value.replace(/<<marker:0xbaba:\d+>>/g, (m) => JSON.stringify(markers[source]?.[m]))
      : value,
  );
};
