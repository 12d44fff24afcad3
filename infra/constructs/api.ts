import { Duration, type RemovalPolicy, Stack } from "aws-cdk-lib";
import { AccessLogFormat } from "aws-cdk-lib/aws-apigateway";
import {
  CorsHttpMethod,
  DomainName,
  HttpApi,
  HttpMethod,
  type HttpRoute,
  type HttpStage,
  type IHttpRouteAuthorizer,
  LogGroupLogDestination,
} from "aws-cdk-lib/aws-apigatewayv2";
import { HttpLambdaIntegration } from "aws-cdk-lib/aws-apigatewayv2-integrations";
import { Certificate } from "aws-cdk-lib/aws-certificatemanager";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import { LogGroup, type RetentionDays } from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import {
  routes as allRoutes,
  type CorsRules,
  cors,
  type FunctionName,
  type Route,
} from "#functions/routes.ts";
import { acknowledge } from "../nag.ts";

const publicCors: CorsRules = cors;

export interface ApiProps {
  /** The function behind each name used in `functions/routes.ts`. */
  readonly functions: Readonly<Record<FunctionName, IFunction>>;
  readonly rateLimit: number;
  readonly burstLimit: number;
  readonly logRetention: RetentionDays;
  readonly removalPolicy: RemovalPolicy;
  /** Guards every `staff` route this API serves; required when it serves one. Public routes have none. */
  readonly staffAuthorizer?: IHttpRouteAuthorizer;
  /** The routes this API serves (by default every public route of functions/routes.ts). */
  readonly routes?: readonly Route[];
  /** Its CORS rules (by default the public ones of functions/routes.ts). */
  readonly cors?: CorsRules;
  readonly description?: string;
  /** A custom domain in front of the API's `$default` stage (a regional endpoint, TLS 1.2). */
  readonly domain?: { readonly domainName: string; readonly certificateArn: string };
}

/** One JSON object per request; HTTP API variables only (REST API ones such as `$context.identity.caller` are rejected). */
const accessLogFormat = AccessLogFormat.custom(
  JSON.stringify({
    requestId: "$context.requestId",
    time: "$context.requestTime",
    ip: "$context.identity.sourceIp",
    userAgent: "$context.identity.userAgent",
    routeKey: "$context.routeKey",
    status: "$context.status",
    responseLength: "$context.responseLength",
    responseLatency: "$context.responseLatency",
    integrationLatency: "$context.integrationLatency",
    integrationError: "$context.integrationErrorMessage",
    error: "$context.error.message",
  }),
);

/**
 * An HTTP API: the public one, or with `routes` and `cors` the staff one. Routes and CORS come from
 * `functions/routes.ts`, the same list the local gateway serves, so the two cannot drift apart. The `$default` stage is declared here rather than created by
 * `HttpApi` because only an explicit stage takes throttling and access logging.
 */
export class Api extends Construct {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  readonly routes: readonly HttpRoute[];
  /** The custom domain, when one was given: point a DNS CNAME (or alias) at its regionalDomainName. */
  readonly domainName?: DomainName;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    const routes = props.routes ?? allRoutes.filter((r) => r.access !== "staff");
    const cors = props.cors ?? publicCors;
    this.httpApi = new HttpApi(this, "HttpApi", {
      apiName: id === "Api" ? Stack.of(this).stackName : `${Stack.of(this).stackName}-${id}`,
      description: props.description ?? "Khuyenhoc donations and campaign totals",
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: [...cors.allowOrigins],
        allowMethods: cors.allowMethods.map((method) => CorsHttpMethod[method]),
        allowHeaders: [...cors.allowHeaders],
        exposeHeaders: [...(cors.exposeHeaders ?? [])],
        maxAge: Duration.seconds(cors.maxAgeSeconds),
      },
    });

    const accessLogs = new LogGroup(this, "AccessLogs", {
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    if (props.domain !== undefined) {
      this.domainName = new DomainName(this, "Domain", {
        domainName: props.domain.domainName,
        certificate: Certificate.fromCertificateArn(this, "Certificate", props.domain.certificateArn),
      });
    }
    this.stage = this.httpApi.addStage("DefaultStage", {
      stageName: "$default",
      autoDeploy: true,
      ...(this.domainName === undefined ? {} : { domainMapping: { domainName: this.domainName } }),
      throttle: { rateLimit: props.rateLimit, burstLimit: props.burstLimit },
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs), format: accessLogFormat },
    });

    const integrations = new Map<FunctionName, HttpLambdaIntegration>();
    const integrationFor = (name: FunctionName): HttpLambdaIntegration => {
      let integration = integrations.get(name);
      if (integration === undefined) {
        integration = new HttpLambdaIntegration(`${name}-integration`, props.functions[name]);
        integrations.set(name, integration);
      }
      return integration;
    };
    if (routes.some((r) => r.access === "staff") && props.staffAuthorizer === undefined) {
      throw new Error(`${id} serves staff routes but has no authorizer for them`);
    }
    const added = routes.map((route) => ({
      route,
      http: this.httpApi.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: integrationFor(route.function),
        ...(route.access === "staff" && props.staffAuthorizer ? { authorizer: props.staffAuthorizer } : {}),
      }),
    }));
    this.routes = added.flatMap((a) => a.http);
    for (const { route, http } of added.filter((a) => a.route.access !== "staff")) {
      for (const r of http)
        acknowledge(
          r,
          "AwsSolutions-APIG4",
          route.function === "payments"
            ? "The bank-transfer notifier cannot hold a Cognito token: the handler authenticates every call " +
                "by its HMAC-SHA256 signature and timestamp before reading it (docs/payments.md)."
            : "Public by design: donors submit web forms and read campaign totals without an account. " +
                "Abuse is bounded by stage throttling, and ingest validates and de-duplicates every submission.",
        );
    }
  }

  /** The invoke URL of the `$default` stage. */
  get url(): string {
    return this.stage.url;
  }
}
