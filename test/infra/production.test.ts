import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Token } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import { CachePolicy } from "aws-cdk-lib/aws-cloudfront";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BuiltApp, buildApp } from "../../infra/build-app.ts";
import { builtWebApp, deployedWebConfig } from "../helpers/web-app.ts";

/** The context cdk.json gives the CLI (feature flags included), so the test synthesizes what `cdk synth` does. */
const cdkJsonContext = (): Record<string, unknown> => {
  const cdkJson: unknown = JSON.parse(readFileSync(resolve(import.meta.dirname, "../../cdk.json"), "utf8"));
  if (typeof cdkJson !== "object" || cdkJson === null || !("context" in cdkJson)) return {};
  return cdkJson.context as Record<string, unknown>;
};

interface Resource {
  readonly Properties: Record<string, unknown>;
}

const apiDomain = "abc123.execute-api.ap-southeast-1.amazonaws.com";
let outdir: string;
let edgeTemplate: Template;
let template: Template;
const edgeUrl = "https://d111111abcdef8.cloudfront.net/";
let built: BuiltApp;

beforeAll(() => {
  // Given the prod stage as an administrator deploys it (cdk-nag runs as part of synth)
  outdir = mkdtempSync(join(tmpdir(), "khuyenhoc-cdk-production-"));
  built = buildApp({
    webAssetDir: builtWebApp(),
    stage: "prod",
    outdir,
    context: {
      ...cdkJsonContext(),
      alarmEmail: "ops@example.org",
      webAppUrl: "https://staff.example.org",
      publicApiDomain: apiDomain,
      publicApiUrl: edgeUrl,
    },
  });
  const assembly = built.app.synth();
  if (built.edge === undefined) throw new Error("publicApiDomain given but no edge stack");
  edgeTemplate = Template.fromJSON(assembly.getStackByName(built.edge.stackName).template);
  template = Template.fromJSON(assembly.getStackByName(built.stack.stackName).template);
});

afterAll(() => {
  rmSync(outdir, { recursive: true, force: true });
});

describe("the web app on a domain of its own", () => {
  it("sends staff back to webAppUrl after sign-in, opens the staff API to its origin alone and names it", () => {
    // When
    const [client] = Object.values(template.findResources("AWS::Cognito::UserPoolClient"));
    const apis = Object.values(template.findResources("AWS::ApiGatewayV2::Api"));
    const staff = apis.find((a) => String(a.Properties.Description).includes("staff"));
    // Then
    expect(client?.Properties.CallbackURLs).toEqual(["https://staff.example.org/auth/callback"]);
    expect(client?.Properties.LogoutURLs).toEqual(["https://staff.example.org"]);
    expect(staff?.Properties.CorsConfiguration.AllowOrigins).toEqual(["https://staff.example.org"]);
    template.hasOutput("WebUrl", { Value: "https://staff.example.org" });
  });
});

describe("public API behind CloudFront and AWS WAF", () => {
  const webAcl = (): Resource => {
    const acls = Object.values(edgeTemplate.findResources("AWS::WAFv2::WebACL")) as Resource[];
    expect(acls).toHaveLength(1);
    return acls[0] as Resource;
  };
  interface Rule {
    readonly Name: string;
    readonly Action?: Record<string, unknown>;
    readonly Statement: Record<string, Record<string, unknown>>;
  }

  it("creates the web ACL for CloudFront in us-east-1, whatever the backend's region", () => {
    // Then
    expect(built.edge?.region).toBe("us-east-1");
    expect(Token.isUnresolved(built.stack.region)).toBe(true); // the backend stays region-agnostic
    expect(webAcl().Properties.Scope).toBe("CLOUDFRONT");
  });

  it("blocks one IP's flood, oversized bodies, and what AWS's managed rule groups catch", () => {
    // When
    const rules = webAcl().Properties.Rules as Rule[];
    // Then
    const rate = rules.find((r) => r.Statement.RateBasedStatement !== undefined);
    expect(rate?.Action).toEqual({ Block: {} });
    expect(rate?.Statement.RateBasedStatement).toEqual({ AggregateKeyType: "IP", Limit: 300 });
    const size = rules.find((r) => r.Statement.SizeConstraintStatement !== undefined);
    expect(size?.Action).toEqual({ Block: {} });
    expect(size?.Statement.SizeConstraintStatement).toMatchObject({
      ComparisonOperator: "GT",
      Size: 8192,
      FieldToMatch: { Body: { OversizeHandling: "MATCH" } },
    });
    const managed = rules.flatMap((r) => {
      const group = r.Statement.ManagedRuleGroupStatement as { VendorName: string; Name: string } | undefined;
      return group === undefined ? [] : [`${group.VendorName}/${group.Name}`];
    });
    expect(managed).toEqual(
      expect.arrayContaining([
        "AWS/AWSManagedRulesCommonRuleSet",
        "AWS/AWSManagedRulesKnownBadInputsRuleSet",
        "AWS/AWSManagedRulesAmazonIpReputationList",
      ]),
    );
  });

  it("associates the web ACL with a distribution that forwards every request, uncached, over HTTPS to the API", () => {
    // When
    const [aclId] = Object.keys(edgeTemplate.findResources("AWS::WAFv2::WebACL"));
    // Then
    edgeTemplate.hasResourceProperties("AWS::CloudFront::Distribution", {
      DistributionConfig: Match.objectLike({
        WebACLId: { "Fn::GetAtt": [aclId, "Arn"] },
        Origins: [
          Match.objectLike({
            DomainName: apiDomain,
            CustomOriginConfig: Match.objectLike({
              OriginProtocolPolicy: "https-only",
              OriginSSLProtocols: ["TLSv1.2"],
            }),
          }),
        ],
        DefaultCacheBehavior: Match.objectLike({
          ViewerProtocolPolicy: "https-only",
          AllowedMethods: Match.arrayWith(["OPTIONS", "POST"]),
          CachePolicyId: CachePolicy.CACHING_DISABLED.cachePolicyId,
        }),
      }),
    });
  });

  it("names its URL, and the web app calls the public API through it once given as publicApiUrl", () => {
    // When
    const config = deployedWebConfig(template, outdir);
    const [policy] = Object.values(template.findResources("AWS::CloudFront::ResponseHeadersPolicy"));
    const csp = JSON.stringify(
      policy?.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy,
    );
    // Then
    edgeTemplate.hasOutput("PublicApiUrl", Match.objectLike({ Value: Match.anyValue() }));
    expect(config.apiUrl).toBe(edgeUrl);
    expect(csp).toContain(` ${new URL(edgeUrl).origin} `);
  });

  it("refuses a publicApiUrl that is not https", () => {
    // When
    const act = () =>
      buildApp({
        webAssetDir: builtWebApp(),
        stage: "dev",
        context: { ...cdkJsonContext(), publicApiUrl: "http://d111111abcdef8.cloudfront.net/" },
      });
    // Then
    expect(act).toThrow(/publicApiUrl must be an https URL/);
  });

  it("refuses a publicApiDomain that is a URL rather than a host name", () => {
    // When
    const act = () =>
      buildApp({
        webAssetDir: builtWebApp(),
        stage: "dev",
        context: { ...cdkJsonContext(), publicApiDomain: "https://evil.example.org/v1" },
      });
    // Then
    expect(act).toThrow(/publicApiDomain must be the host name of the ApiUrl output/);
  });
});
