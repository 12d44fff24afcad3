import { CfnOutput, Stack, type StackProps } from "aws-cdk-lib";
import type { Construct } from "constructs";
import { Edge, type EdgeProps } from "./constructs/edge.ts";

/**
 * The public API's CloudFront distribution and its AWS WAF web ACL. A web ACL for CloudFront can only be
 * created in us-east-1, so this small stack lives there whatever region the backend is in; it takes the
 * API's host name as context rather than a cross-region reference, which would tie the backend stack to
 * one account and region at synth time.
 */
export class EdgeStack extends Stack {
  readonly edge: Edge;

  constructor(scope: Construct, id: string, props: StackProps & EdgeProps) {
    super(scope, id, { ...props, env: { ...props.env, region: "us-east-1" } });
    this.edge = new Edge(this, "Edge", props);
    new CfnOutput(this, "PublicApiUrl", {
      value: `https://${this.edge.distribution.distributionDomainName}/`,
      description:
        "The public API behind AWS WAF: give it to the web forms, and to the backend as publicApiUrl",
    });
  }
}
