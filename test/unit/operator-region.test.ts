import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { regionAsTheCliFindsIt } from "#local/endpoints.ts";

/** An AWS config file as `aws configure` writes it: a default profile and a named one. */
const configFile = (): string => {
  const dir = mkdtempSync(join(tmpdir(), "khuyenhoc-aws-"));
  const file = join(dir, "config");
  writeFileSync(file, "[default]\nregion = eu-west-3\n[profile hanoi]\nregion = ap-southeast-1\n");
  return file;
};

const saved = { ...process.env };
afterEach(() => {
  for (const key of ["AWS_CONFIG_FILE", "AWS_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION"]) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
});

describe("the region operator scripts use with --aws", () => {
  it("given a profile with a region, then it is the profile's, as the AWS CLI would use", async () => {
    // Prepare
    delete process.env.AWS_REGION;
    delete process.env.AWS_DEFAULT_REGION;
    process.env.AWS_CONFIG_FILE = configFile();
    process.env.AWS_PROFILE = "hanoi";
    // Act
    const region = await regionAsTheCliFindsIt();
    // Assess
    expect(region).toBe("ap-southeast-1");
  });

  it("given no profile named, then it is the default profile's", async () => {
    // Prepare
    delete process.env.AWS_REGION;
    delete process.env.AWS_DEFAULT_REGION;
    delete process.env.AWS_PROFILE;
    process.env.AWS_CONFIG_FILE = configFile();
    // Act
    const region = await regionAsTheCliFindsIt();
    // Assess
    expect(region).toBe("eu-west-3");
  });

  it("given AWS_REGION or AWS_DEFAULT_REGION, then they win over the profile", async () => {
    // Prepare
    process.env.AWS_CONFIG_FILE = configFile();
    // Act and assess
    expect(await regionAsTheCliFindsIt({ AWS_REGION: "us-west-2" })).toBe("us-west-2");
    expect(await regionAsTheCliFindsIt({ AWS_DEFAULT_REGION: "ap-northeast-1" })).toBe("ap-northeast-1");
  });
});
