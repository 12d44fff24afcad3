import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { CfnElement, Stack } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import type { IConstruct } from "constructs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BuiltApp, buildApp } from "../../infra/build-app.ts";
import { builtWebApp, deployedWebConfig } from "../helpers/web-app.ts";

/** The dev stack as `cdk synth` builds it (cdk.json's context, cdk-nag included): the web app with it. */
let built: BuiltApp;
let template: Template;
let outdir: string;
beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), "khuyenhoc-cdk-web-"));
  const cdkJson = JSON.parse(readFileSync(resolve(import.meta.dirname, "../../cdk.json"), "utf8"));
  built = buildApp({ webAssetDir: builtWebApp(), stage: "dev", outdir, context: cdkJson.context });
  template = Template.fromJSON(built.app.synth().getStackByName(built.stack.stackName).template);
});
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

const idOf = (construct: IConstruct): string => {
  const resource = construct.node.defaultChild;
  if (!CfnElement.isCfnElement(resource)) throw new Error(`${construct.node.path} has no resource`);
  return Stack.of(construct).getLogicalId(resource);
};

const cspOf = (): string => {
  const policies = Object.values(template.findResources("AWS::CloudFront::ResponseHeadersPolicy"));
  expect(policies).toHaveLength(1);
  return JSON.stringify(
    policies[0]?.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy,
  );
};

describe("the web app, deployed with the stack", () => {
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
        CustomErrorResponses: Match.arrayWith([
          Match.objectLike({ ErrorCode: 403, ResponseCode: 200, ResponsePagePath: "/index.html" }),
        ]),
      }),
    });
  });

  it("sends a strict CSP that lets the app fetch only itself, the APIs and the sign-in's token endpoint", () => {
    // Act
    const csp = cspOf();
    // Assess
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self' https://*.execute-api.");
    expect(csp).toMatch(/https:\/\/khuyenhoc-dev-.*\.auth\..*amazoncognito\.com/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("unsafe");
  });

  it("writes config.json at deploy time: both API URLs, the sign-in domain and the web client", () => {
    // Prepare: the pages' deployment (the other copies the content-named assets)
    const deployments = Object.values(template.findResources("Custom::CDKBucketDeployment")).filter(
      (d) => d.Properties.DestinationBucketKeyPrefix === undefined,
    );
    expect(deployments).toHaveLength(1);
    // Act: the deployment resolves the tokens in config.json from markers among its sources
    const markers = JSON.stringify(deployments[0]?.Properties.SourceMarkers);
    // Assess
    expect(markers).toContain(idOf(built.stack.api.httpApi));
    expect(markers).toContain(idOf(built.stack.staffApi.httpApi));
    expect(markers).toContain(idOf(built.stack.identity.domain));
    expect(markers).toContain(idOf(built.stack.identity.webClient));
    expect(JSON.stringify(deployments[0]?.Properties.DistributionId)).toContain(
      idOf(built.stack.web.distribution),
    );
  });

  it("lets browsers keep the content-named assets a year, and check pages and config.json afresh", () => {
    // Act
    const deployments = Object.values(template.findResources("Custom::CDKBucketDeployment"));
    const assets = deployments.filter((d) => d.Properties.DestinationBucketKeyPrefix === "assets/");
    const pages = deployments.filter((d) => d.Properties.DestinationBucketKeyPrefix === undefined);
    // Assess: old assets stay, for a page loaded before the deployment; the pages' sync leaves them alone
    expect(deployments).toHaveLength(2);
    expect(assets[0]?.Properties).toMatchObject({
      Prune: false,
      SystemMetadata: { "cache-control": "public, max-age=31536000, immutable" },
    });
    expect(pages[0]?.Properties).toMatchObject({
      Exclude: ["assets/*"],
      SystemMetadata: { "cache-control": "no-cache" },
    });
    // and a new index.html is published only once the scripts it names are in the bucket
    const [assetsId] = Object.entries(template.findResources("Custom::CDKBucketDeployment")).find(
      ([, d]) => d.Properties.DestinationBucketKeyPrefix === "assets/",
    ) ?? [""];
    expect(pages[0]?.DependsOn).toContain(assetsId);
  });

  it("writes config.json in the shape the app reads, each value filled in by the deployment", () => {
    // Act: config.json as staged in the cloud assembly, each marker shown as its CloudFormation value
    const config = deployedWebConfig(template, outdir) as {
      apiUrl: string;
      staffApiUrl: string;
      auth: { domain: string; clientId: string };
    };
    // Assess
    expect(Object.keys(config).sort()).toEqual(["apiUrl", "auth", "staffApiUrl"]);
    expect(Object.keys(config.auth).sort()).toEqual(["clientId", "domain"]);
    expect(config.apiUrl).toMatch(
      new RegExp(`^https://\\{"Ref":"${idOf(built.stack.api.httpApi)}"\\}\\.execute-api\\.`),
    );
    expect(config.staffApiUrl).toMatch(
      new RegExp(`^https://\\{"Ref":"${idOf(built.stack.staffApi.httpApi)}"\\}\\.execute-api\\.`),
    );
    expect(config.auth.domain).toMatch(
      new RegExp(
        `^https://\\{"Ref":"${idOf(built.stack.identity.domain)}"\\}\\.auth\\..*\\.amazoncognito\\.com$`,
      ),
    );
    expect(config.auth.clientId).toBe(JSON.stringify({ Ref: idOf(built.stack.identity.webClient) }));
  });

  it("sends staff back to the app's own address after sign-in, and opens the staff API to it alone", () => {
    // Prepare
    const distribution = idOf(built.stack.web.distribution);
    const domain = { "Fn::GetAtt": [distribution, "DomainName"] };
    // Act
    const client = Object.values(template.findResources("AWS::Cognito::UserPoolClient"))[0];
    const apis = Object.values(template.findResources("AWS::ApiGatewayV2::Api"));
    // Assess
    expect(client?.Properties.CallbackURLs).toEqual([
      { "Fn::Join": ["", ["https://", domain, "/auth/callback"]] },
    ]);
    expect(client?.Properties.LogoutURLs).toEqual([{ "Fn::Join": ["", ["https://", domain]] }]);
    const staff = apis.find((a) => String(a.Properties.Description).includes("staff"));
    expect(staff?.Properties.CorsConfiguration.AllowOrigins).toEqual([
      { "Fn::Join": ["", ["https://", domain]] },
    ]);
  });

  it("acknowledges cdk-nag findings only on the app's hosting and CDK's deploying function, each with a reason", () => {
    // Prepare: the findings cdk-nag reported and the acknowledgements matched (build-app.ts)
    const report = JSON.parse(readFileSync(join(outdir, "validation-report.json"), "utf8")) as {
      pluginReports: {
        pluginName: string;
        suppressedViolations?: {
          ruleName: string;
          reason?: string;
          violatingConstructs: { constructPath: string }[];
        }[];
      }[];
    };
    const nag = report.pluginReports.find((r) => r.pluginName === "AwsSolutions");
    // Act
    const web = (nag?.suppressedViolations ?? []).flatMap((v) =>
      v.violatingConstructs
        .filter((c) => /\/(Web\/|Custom::CDKBucketDeployment)/.test(c.constructPath))
        .map((c) => ({ rule: v.ruleName, path: c.constructPath, reason: v.reason ?? "" })),
    );
    // Assess: the distribution's and bucket's findings, and CDK's function's, nothing on the app's functions
    expect(web.map((a) => a.rule)).toEqual(
      expect.arrayContaining([
        "AwsSolutions-S1",
        "AwsSolutions-CFR1",
        "AwsSolutions-CFR2",
        "AwsSolutions-CFR3",
        "AwsSolutions-CFR4",
        "AwsSolutions-L1",
      ]),
    );
    for (const a of web) expect(a.reason.length).toBeGreaterThan(20);
    expect(web.filter((a) => a.rule === "AwsSolutions-L1").map((a) => a.path)).toEqual([
      expect.stringMatching(/^Khuyenhoc-dev\/Custom::CDKBucketDeployment/),
    ]);
  });

  it("says where the app is", () => {
    template.hasOutput("WebUrl", Match.objectLike({ Value: Match.anyValue() }));
  });

  it("refuses to synthesize without a built app, naming the command that builds one", () => {
    // Prepare
    const empty = mkdtempSync(join(tmpdir(), "khuyenhoc-no-web-"));
    // Act
    const act = () => buildApp({ webAssetDir: empty, stage: "dev" });
    // Assess
    expect(act).toThrow(/npm run build:web/);
    rmSync(empty, { recursive: true, force: true });
  });
});
