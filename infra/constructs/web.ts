import { existsSync } from "node:fs";
import { join } from "node:path";
import { Duration, RemovalPolicy, Stack } from "aws-cdk-lib";
import {
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from "aws-cdk-lib/aws-cloudfront";
import { S3BucketOrigin } from "aws-cdk-lib/aws-cloudfront-origins";
import { BlockPublicAccess, Bucket, BucketEncryption, type CfnBucket } from "aws-cdk-lib/aws-s3";
import { BucketDeployment, CacheControl, Source } from "aws-cdk-lib/aws-s3-deployment";
import { Construct } from "constructs";
import { webCsp } from "../../packages/web/csp.ts";
import { acknowledge } from "../nag.ts";

/** What the app reads from `config.json` when it starts: where the APIs are, and how staff sign in. */
export interface WebConfig {
  /** Base URL of the public HTTP API. */
  readonly apiUrl: string;
  /** Base URL of the staff HTTP API (the staff routes, behind the Cognito authorizer). */
  readonly staffApiUrl: string;
  readonly auth: {
    /** Origin of the hosted sign-in: `https://<prefix>.auth.<region>.amazoncognito.com`. */
    readonly domain: string;
    /** The user pool's web client (authorization code + PKCE, no secret). */
    readonly clientId: string;
  };
}

export interface WebProps {
  /** Origins the app may fetch from besides its own (the CSP's connect-src). */
  readonly connectOrigins: readonly string[];
}

export interface PublishProps {
  /** Directory of the built web app (`npm run build:web`). */
  readonly assetDir: string;
  /** Written to `config.json` at deploy time, so one build serves every stage. */
  readonly config: WebConfig;
}

/**
 * The web app: a private bucket read only by CloudFront (origin access control), served with a strict
 * Content-Security-Policy (packages/web/csp.ts, the same list the local gateway sends). The API URLs and
 * the sign-in settings reach the app as `config.json`, written by the deployment ({@link Web.publish}),
 * which comes second: the sign-in settings need the app's address first (Cognito's callback URL). Kept
 * apart from the API's own CloudFront and WAF.
 */
export class Web extends Construct {
  readonly distribution: Distribution;
  /** `https://<distribution domain>`: the app's address, and the staff API's one CORS origin. */
  readonly url: string;
  private readonly bucket: Bucket;

  constructor(scope: Construct, id: string, props: WebProps) {
    super(scope, id);
    const bucket = new Bucket(this, "Bucket", {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // The app is rebuilt from the repository at every deployment: nothing in the bucket needs keeping,
      // but emptying it on delete would take one more custom resource (and its Lambda).
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(
      bucket,
      "AwsSolutions-S1",
      "Only CloudFront reads the bucket (origin access control): its access logs would list CloudFront, not visitors",
    );
    const headers = new ResponseHeadersPolicy(this, "Headers", {
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: webCsp(props.connectOrigins), override: true },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(365),
          includeSubdomains: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
    });
    this.distribution = new Distribution(this, "Distribution", {
      defaultRootObject: "index.html",
      // Pages (`/campaigns/<id>`) are paths of the one app: the bucket has no such object, so S3 answers
      // 403 through origin access control; the app's index.html is served instead and reads the path.
      errorResponses: [403, 404].map((httpStatus) => ({
        httpStatus,
        responseHttpStatus: 200,
        responsePagePath: "/index.html",
        ttl: Duration.seconds(10),
      })),
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        responseHeadersPolicy: headers,
      },
    });
    acknowledge(
      this.distribution,
      "AwsSolutions-CFR1",
      "No geo restriction: donors of the association live and travel abroad, and the pages must reach them.",
    );
    acknowledge(
      this.distribution,
      "AwsSolutions-CFR2",
      "Static files only: the APIs the pages call are throttled (and the public one may sit behind WAF, " +
        "docs/deploy.md); a web ACL here would cost more than the files it guards.",
    );
    acknowledge(
      this.distribution,
      "AwsSolutions-CFR3",
      "No access logs for static pages: they would hold visitors' IP addresses (personal data) and no one " +
        "reads them; the APIs log every request they are sent.",
    );
    acknowledge(
      this.distribution,
      "AwsSolutions-CFR4",
      "CloudFront's default certificate (*.cloudfront.net) cannot restrict viewer TLS versions; a custom " +
        "domain with its own certificate (webAppUrl, docs/deploy.md) allows TLS 1.2 minimum.",
    );
    this.bucket = bucket;
    this.url = `https://${this.distribution.distributionDomainName}`;
  }

  /**
   * Deploys the built app and its `config.json` to the bucket, and clears CloudFront's cache of it. Vite
   * names `assets/` by their content: browsers may keep them for a year, and older ones stay, so a page
   * loaded before a deployment still finds its scripts. Everything else (pages, `config.json`, `data/`)
   * browsers check afresh, so a deployment reaches them at once, as `npm start` serves them locally.
   */
  publish(props: PublishProps): BucketDeployment {
    if (!existsSync(join(props.assetDir, "index.html")))
      throw new Error(`no built web app in ${props.assetDir}: run npm run build:web first`);
    const assets = join(props.assetDir, "assets");
    const assetsDeployment = existsSync(assets)
      ? new BucketDeployment(this, "DeployAssets", {
          destinationBucket: this.bucket,
          destinationKeyPrefix: "assets/",
          sources: [Source.asset(assets)],
          prune: false,
          cacheControl: [
            CacheControl.setPublic(),
            CacheControl.maxAge(Duration.days(365)),
            CacheControl.immutable(),
          ],
        })
      : undefined;
    const deployment = new BucketDeployment(this, "Deploy", {
      destinationBucket: this.bucket,
      sources: [
        Source.asset(props.assetDir, { exclude: ["assets"] }),
        Source.jsonData("config.json", props.config),
      ],
      // The assets are the other deployment's: not deleted by this one's sync.
      exclude: ["assets/*"],
      cacheControl: [CacheControl.noCache()],
      distribution: this.distribution,
    });
    // A new index.html only once the scripts it names are there, and the cache cleared after both.
    if (assetsDeployment) deployment.node.addDependency(assetsDeployment);
    // The deployment's function is CDK's own, one per stack at its root: its findings are acknowledged
    // there, each with why.
    const handler = Stack.of(this).node.children.find((c) =>
      c.node.id.startsWith("Custom::CDKBucketDeployment"),
    );
    const bucketId = Stack.of(this).getLogicalId(this.bucket.node.defaultChild as CfnBucket);
    for (const scope of [handler ?? deployment, deployment.handlerRole]) {
      acknowledge(
        scope,
        "AwsSolutions-L1",
        "CDK's BucketDeployment function: its runtime is CDK's to choose",
      );
      acknowledge(
        scope,
        "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]",
        "CDK's BucketDeployment function writes its own logs and nothing else through this policy",
      );
      for (const wildcard of [
        "Action::s3:GetBucket*",
        "Action::s3:GetObject*",
        "Action::s3:List*",
        "Action::s3:Abort*",
        "Action::s3:DeleteObject*",
        "Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*",
        `Resource::<${bucketId}.Arn>/*`,
        "Resource::*",
      ])
        acknowledge(
          scope,
          `AwsSolutions-IAM5[${wildcard}]`,
          "CDK's BucketDeployment: it copies the built app from CDK's asset bucket into the app's own bucket " +
            "(any object of either) and invalidates the distribution's cache (CloudFront takes no resource there)",
        );
    }
    return deployment;
  }
}
