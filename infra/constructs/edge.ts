import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  PriceClass,
  ViewerProtocolPolicy,
} from "aws-cdk-lib/aws-cloudfront";
import { HttpOrigin } from "aws-cdk-lib/aws-cloudfront-origins";
import { CfnWebACL } from "aws-cdk-lib/aws-wafv2";
import { Construct } from "constructs";
import { acknowledge } from "../nag.ts";

export interface EdgeProps {
  /** Host name of the public HTTP API (the host of the main stack's `ApiUrl` output). */
  readonly apiDomain: string;
  /** Requests one IP address may make in any 5 minutes before WAF blocks it. */
  readonly ratePerIpPer5Minutes: number;
  /** Largest request body accepted, in bytes; a pledge form is well under 2 KB. */
  readonly maxBodyBytes: number;
}

const visibility = (metricName: string) => ({
  cloudWatchMetricsEnabled: true,
  sampledRequestsEnabled: true,
  metricName,
});

/** An AWS managed rule group, applied as AWS configures it. */
const managed = (name: string, priority: number): CfnWebACL.RuleProperty => ({
  name,
  priority,
  overrideAction: { none: {} },
  statement: { managedRuleGroupStatement: { vendorName: "AWS", name } },
  visibilityConfig: visibility(name),
});

/**
 * CloudFront with AWS WAF in front of the public API: HTTP APIs cannot attach a web ACL themselves. A
 * per-IP rate rule keeps one client from taking the API's whole throttle (real donors would get 429),
 * a body-size rule refuses oversized posts before they reach a function, and AWS's managed rule groups
 * drop known bad inputs and addresses. Nothing is cached: every request reaches the API. A web ACL for
 * CloudFront exists only in us-east-1, so this construct belongs to the edge stack (infra/edge-stack.ts).
 */
export class Edge extends Construct {
  readonly webAcl: CfnWebACL;
  readonly distribution: Distribution;

  constructor(scope: Construct, id: string, props: EdgeProps) {
    super(scope, id);
    this.webAcl = new CfnWebACL(this, "WebAcl", {
      scope: "CLOUDFRONT",
      defaultAction: { allow: {} },
      visibilityConfig: visibility("KhuyenhocEdge"),
      rules: [
        {
          name: "RatePerIp",
          priority: 0,
          action: { block: {} },
          statement: {
            rateBasedStatement: { limit: props.ratePerIpPer5Minutes, aggregateKeyType: "IP" },
          },
          visibilityConfig: visibility("RatePerIp"),
        },
        {
          name: "BodySize",
          priority: 1,
          action: { block: {} },
          statement: {
            sizeConstraintStatement: {
              fieldToMatch: { body: { oversizeHandling: "MATCH" } },
              comparisonOperator: "GT",
              size: props.maxBodyBytes,
              textTransformations: [{ priority: 0, type: "NONE" }],
            },
          },
          visibilityConfig: visibility("BodySize"),
        },
        managed("AWSManagedRulesAmazonIpReputationList", 2),
        managed("AWSManagedRulesKnownBadInputsRuleSet", 3),
        managed("AWSManagedRulesCommonRuleSet", 4),
      ],
    });

    this.distribution = new Distribution(this, "Distribution", {
      comment: "Khuyenhoc public API behind AWS WAF",
      webAclId: this.webAcl.attrArn,
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_200, // includes Asia, where the donors are
      defaultBehavior: {
        origin: new HttpOrigin(props.apiDomain, {
          protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
          originSslProtocols: [OriginSslPolicy.TLS_V1_2],
        }),
        viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
        allowedMethods: AllowedMethods.ALLOW_ALL,
        // Totals and statuses change with every pledge; the API's own throttle is the capacity limit.
        cachePolicy: CachePolicy.CACHING_DISABLED,
        // Everything the API reads (Origin for CORS, the body, query) except Host, which must be the API's.
        originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      },
    });
    acknowledge(
      this.distribution,
      "AwsSolutions-CFR1",
      "No geo restriction: donors of the association live and travel abroad, and the web forms must reach them.",
    );
    acknowledge(
      this.distribution,
      "AwsSolutions-CFR3",
      "No CloudFront access logs: the API logs every request it is sent (with the client's IP) and WAF " +
        "publishes per-rule metrics and sampled requests; a log bucket would add cost and personal data.",
    );
    acknowledge(
      this.distribution,
      "AwsSolutions-CFR4",
      "The distribution uses CloudFront's default certificate (*.cloudfront.net), which cannot restrict " +
        "viewer TLS versions; a custom domain with its own certificate (docs/deploy.md) would allow TLS 1.2 minimum.",
    );
  }
}
