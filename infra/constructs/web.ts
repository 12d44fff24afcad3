import { Duration, Fn, RemovalPolicy } from "aws-cdk-lib";
import {
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from "aws-cdk-lib/aws-cloudfront";
import { S3BucketOrigin } from "aws-cdk-lib/aws-cloudfront-origins";
import { BlockPublicAccess, Bucket, BucketEncryption } from "aws-cdk-lib/aws-s3";
import { BucketDeployment, Source } from "aws-cdk-lib/aws-s3-deployment";
import { Construct } from "constructs";

export interface WebProps {
  /** Directory of the built web app (`npm run build:web`). */
  readonly assetDir: string;
  /** Base URL of the public HTTP API, written to `config.json` at deploy time. */
  readonly apiUrl: string;
}

/**
 * The public web app: a private bucket read only by CloudFront (origin access control), served with a
 * strict Content-Security-Policy. The API URL reaches the app as `config.json`, so one build serves
 * every stage. Kept apart from the API's own CloudFront and WAF.
 */
export class Web extends Construct {
  readonly distribution: Distribution;

  constructor(scope: Construct, id: string, props: WebProps) {
    super(scope, id);
    const bucket = new Bucket(this, "Bucket", {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
    });
    // The API URL is a deploy-time token (https://host/...): its host is the third "/"-separated part.
    const apiOrigin = `https://${Fn.select(2, Fn.split("/", props.apiUrl))}`;
    const headers = new ResponseHeadersPolicy(this, "Headers", {
      securityHeadersBehavior: {
        // The app's own scripts and styles only; data: for the VietQR image it draws; fetch to the API alone.
        contentSecurityPolicy: {
          contentSecurityPolicy: [
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            `connect-src 'self' ${apiOrigin}`,
            "manifest-src 'self'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
          ].join("; "),
          override: true,
        },
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
    new BucketDeployment(this, "Deploy", {
      destinationBucket: bucket,
      sources: [Source.asset(props.assetDir), Source.jsonData("config.json", { apiUrl: props.apiUrl })],
      distribution: this.distribution,
    });
  }
}
