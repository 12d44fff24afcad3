import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, CfnParameter, Stack } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Web } from "../../infra/constructs/web.ts";

let dir: string;
let template: Template;

beforeAll(() => {
  // Given the web construct over a built app directory
  dir = mkdtempSync(join(tmpdir(), "khuyenhoc-web-"));
  writeFileSync(join(dir, "index.html"), "<!doctype html>");
  const stack = new Stack(new App(), "WebTest", {
    env: { account: "111111111111", region: "ap-southeast-1" },
  });
  // The API URL is known only at deploy time, as in the real stack
  const apiUrl = new CfnParameter(stack, "ApiUrl").valueAsString;
  new Web(stack, "Web", { assetDir: dir, apiUrl });
  // When it is synthesized
  template = Template.fromStack(stack);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("web app hosting", () => {
  it("keeps the bucket private and reads it through origin access control", () => {
    template.hasResourceProperties("AWS::S3::Bucket", {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
    template.resourceCountIs("AWS::CloudFront::OriginAccessControl", 1);
    template.hasResourceProperties("AWS::CloudFront::Distribution", {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: "index.html",
        DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: "redirect-to-https" }),
      }),
    });
  });

  it("answers a page path with the app's index.html, which reads the path itself", () => {
    template.hasResourceProperties("AWS::CloudFront::Distribution", {
      DistributionConfig: Match.objectLike({
        CustomErrorResponses: Match.arrayWith([
          Match.objectLike({ ErrorCode: 403, ResponseCode: 200, ResponsePagePath: "/index.html" }),
        ]),
      }),
    });
  });

  it("sends a strict CSP that lets the app call only itself and the API", () => {
    const policies = template.findResources("AWS::CloudFront::ResponseHeadersPolicy");
    const config = Object.values(policies)[0]?.Properties.ResponseHeadersPolicyConfig;
    const csp = JSON.stringify(config.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self' https://");
    expect(csp).toContain('{"Ref":"ApiUrl"}');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("unsafe");
    expect(config.SecurityHeadersConfig.StrictTransportSecurity.Override).toBe(true);
    expect(config.SecurityHeadersConfig.FrameOptions.FrameOption).toBe("DENY");
  });

  it("deploys the app with the API URL as config.json", () => {
    template.resourceCountIs("Custom::CDKBucketDeployment", 1);
    const deployments = template.findResources("Custom::CDKBucketDeployment");
    // The token in config.json is resolved by the deployment, as a marker in its sources
    const markers = JSON.stringify(Object.values(deployments)[0]?.Properties.SourceMarkers);
    expect(markers).toContain('{"Ref":"ApiUrl"}');
  });
});
