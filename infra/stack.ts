import { Aws, CfnOutput, Stack, type StackProps } from "aws-cdk-lib";
import { HttpUserPoolAuthorizer } from "aws-cdk-lib/aws-apigatewayv2-authorizers";
import type { Construct } from "constructs";
import { routes, staffCors } from "#functions/routes.ts";
import { exampleCampaigns } from "#local/campaigns.ts";
import { Alarms } from "./constructs/alarms.ts";
import { Api } from "./constructs/api.ts";
import { Dashboard } from "./constructs/dashboard.ts";
import { Functions } from "./constructs/functions.ts";
import { hostedSignInOrigin, Identity } from "./constructs/identity.ts";
import { Monitoring } from "./constructs/monitoring.ts";
import { Payments } from "./constructs/payments.ts";
import { Queues } from "./constructs/queues.ts";
import { Reports } from "./constructs/reports.ts";
import { StaffFunctions } from "./constructs/staff-functions.ts";
import { Tables } from "./constructs/tables.ts";
import { Vault } from "./constructs/vault.ts";
import { Web } from "./constructs/web.ts";
import { projectorBatchingWindow, projectorTimeout, type StageConfig } from "./stage.ts";

export interface KhuyenhocStackProps extends StackProps {
  readonly stage: StageConfig;
  /** The built web app (`npm run build:web`), deployed behind CloudFront. */
  readonly webAssetDir: string;
}

/**
 * The whole backend: web form → HTTP API → ingest → queue → projector → tables ← campaign-query ← HTTP API.
 * Environment-agnostic (no account or region lookups), so it synthesizes offline and deploys anywhere.
 */
export class KhuyenhocStack extends Stack {
  readonly tables: Tables;
  readonly queues: Queues;
  readonly functions: Functions;
  readonly api: Api;
  /** The staff routes, behind the Cognito JWT authorizer. */
  readonly staffApi: Api;
  readonly monitoring: Monitoring;
  readonly alarms: Alarms;
  readonly dashboard: Dashboard;
  readonly identity: Identity;
  readonly vault: Vault;
  readonly staffFunctions: StaffFunctions;
  /** The bank-transfer door and its notifier secret. */
  readonly payments: Payments;
  readonly reports: Reports;
  /** The web app: public pages and the staff area, on S3 behind CloudFront. */
  readonly web: Web;

  constructor(scope: Construct, id: string, props: KhuyenhocStackProps) {
    super(scope, id, props);
    const { stage } = props;

    this.tables = new Tables(this, "Tables", {
      removalPolicy: stage.removalPolicy,
      deletionProtection: stage.deletionProtection,
    });
    this.queues = new Queues(this, "Queues", {
      consumerTimeout: projectorTimeout,
      consumerBatchingWindow: projectorBatchingWindow,
      removalPolicy: stage.removalPolicy,
    });
    this.functions = new Functions(this, "Functions", {
      ledger: this.tables.ledger,
      projection: this.tables.projection,
      queue: this.queues.queue,
      deadLetterQueue: this.queues.deadLetterQueue,
      stage,
      projectorTimeout,
      projectorBatchingWindow,
    });
    // Where the web app lives: its CloudFront distribution, unless a custom domain (or, for development,
    // a local address) is given. Cognito sends the authorization code back there, and the staff API opens
    // CORS to that origin alone.
    const givenWebAppUrl: unknown = this.node.tryGetContext("webAppUrl");
    if (
      givenWebAppUrl !== undefined &&
      (typeof givenWebAppUrl !== "string" || !/^https:\/\/|^http:\/\/localhost[:/]/.test(givenWebAppUrl))
    ) {
      throw new Error("context webAppUrl must be an https URL (or http://localhost for development)");
    }
    // The public API as the web app calls it: the edge distribution's URL once there is one, so the app's
    // own pledges pass AWS WAF too (the edge stack is deployed after this one, hence a context key).
    const givenPublicApiUrl: unknown = this.node.tryGetContext("publicApiUrl");
    if (
      givenPublicApiUrl !== undefined &&
      givenPublicApiUrl !== "" &&
      (typeof givenPublicApiUrl !== "string" ||
        !/^https:\/\/[a-z0-9-]+(\.[a-z0-9-]+)+(\/[^?#]*)?$/.test(givenPublicApiUrl))
    ) {
      throw new Error(
        "context publicApiUrl must be an https URL without query, e.g. the edge stack's PublicApiUrl output",
      );
    }
    const publicApiUrl =
      typeof givenPublicApiUrl === "string" && givenPublicApiUrl !== "" ? givenPublicApiUrl : undefined;
    // Both stages may share an account; the account id keeps the prefix unique across accounts.
    const domainPrefix = `khuyenhoc-${stage.name}-${Aws.ACCOUNT_ID}`;
    this.web = new Web(this, "Web", {
      connectOrigins: [
        // Both HTTP APIs by their execute-api host: naming the staff API's own would make a cycle (its CORS
        // names the app's origin), and the hosts are this region's API Gateway alone.
        `https://*.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX}`,
        ...(stage.apiDomain === undefined ? [] : [`https://${stage.apiDomain.domainName}`]),
        ...(publicApiUrl === undefined ? [] : [new URL(publicApiUrl).origin]),
        // The token exchange after the hosted sign-in redirects back with a code.
        hostedSignInOrigin(domainPrefix),
      ],
    });
    const webAppUrl = typeof givenWebAppUrl === "string" ? givenWebAppUrl.replace(/\/$/, "") : this.web.url;
    this.identity = new Identity(this, "Identity", {
      callbackUrls: [`${webAppUrl}/auth/callback`],
      logoutUrls: [webAppUrl],
      removalPolicy: stage.removalPolicy,
      deletionProtection: stage.deletionProtection,
      domainPrefix,
    });
    this.vault = new Vault(this, "Vault", {
      removalPolicy: stage.removalPolicy,
      deletionProtection: stage.deletionProtection,
    });
    this.staffFunctions = new StaffFunctions(this, "StaffFunctions", {
      environment: this.functions.environment,
      ledger: this.tables.ledger,
      projection: this.tables.projection,
      queue: this.queues.queue,
      vault: this.vault.vault,
      keys: this.vault.keys,
      vaultKey: this.vault.key,
      userPool: this.identity.userPool,
      webClient: this.identity.webClient,
      stage,
    });
    this.payments = new Payments(this, "Payments", {
      environment: this.functions.environment,
      ledger: this.tables.ledger,
      projection: this.tables.projection,
      queue: this.queues.queue,
      stage,
      removalPolicy: stage.removalPolicy,
    });
    this.reports = new Reports(this, "Reports", {
      environment: this.staffFunctions.environment,
      projection: this.tables.projection,
      // The campaigns of data/campaigns/; a campaign defined later is digested on demand (npm run report).
      digestCampaigns: exampleCampaigns().map((c) => c.id),
      stage,
      removalPolicy: stage.removalPolicy,
    });
    const apiCommon = {
      functions: {
        ingest: this.functions.ingest,
        "campaign-query": this.functions.campaignQuery,
        "donation-status": this.functions.donationStatus,
        beneficiaries: this.staffFunctions.beneficiaries,
        audit: this.staffFunctions.audit,
        "unit-figures": this.staffFunctions.unitFigures,
        payments: this.payments.bankTransfer,
        reports: this.reports.list,
      },
      rateLimit: stage.apiRateLimit,
      burstLimit: stage.apiBurstLimit,
      logRetention: stage.logRetention,
      removalPolicy: stage.removalPolicy,
    };
    this.api = new Api(this, "Api", {
      ...apiCommon,
      ...(stage.apiDomain === undefined ? {} : { domain: stage.apiDomain }),
    });
    // An HTTP API has one CORS configuration: the staff routes, open to the web app's origin alone, are
    // an API of their own.
    this.staffApi = new Api(this, "StaffApi", {
      ...apiCommon,
      routes: routes.filter((r) => r.access === "staff"),
      // The distribution's URL is its origin; a given webAppUrl may carry a path.
      cors: staffCors(typeof givenWebAppUrl === "string" ? new URL(givenWebAppUrl).origin : this.web.url),
      staffAuthorizer: new HttpUserPoolAuthorizer("StaffAuthorizer", this.identity.userPool, {
        userPoolClients: [this.identity.webClient],
      }),
      description: "Khuyenhoc staff routes: beneficiaries and the audit trail",
    });
    this.monitoring = new Monitoring(this, "Monitoring", {
      queue: this.queues.queue,
      deadLetterQueue: this.queues.deadLetterQueue,
      removalPolicy: stage.removalPolicy,
      ...(stage.alarmEmail === undefined ? {} : { alarmEmail: stage.alarmEmail }),
    });
    this.alarms = new Alarms(this, "Alarms", {
      topic: this.monitoring.topic,
      functions: {
        Ingest: this.functions.ingest,
        Projector: this.functions.projector,
        CampaignQuery: this.functions.campaignQuery,
        DonationStatus: this.functions.donationStatus,
        Beneficiaries: this.staffFunctions.beneficiaries,
        Audit: this.staffFunctions.audit,
        UnitFigures: this.staffFunctions.unitFigures,
        Payments: this.payments.bankTransfer,
        Reports: this.reports.list,
        ReportMaker: this.reports.maker,
      },
      projector: this.functions.projector,
      projectorTimeout,
      reportMaker: this.reports.maker,
      tables: {
        Ledger: this.tables.ledger,
        Projection: this.tables.projection,
        Vault: this.vault.vault,
        Keys: this.vault.keys,
      },
      apis: { Public: this.api.httpApi, Staff: this.staffApi.httpApi },
      deadLetterQueue: this.queues.deadLetterQueue,
      stage: stage.name,
    });
    this.dashboard = new Dashboard(this, "Dashboard", {
      api: this.api.httpApi,
      staffApi: this.staffApi.httpApi,
      queue: this.queues.queue,
      deadLetterQueue: this.queues.deadLetterQueue,
      projector: this.functions.projector,
      stage: stage.name,
    });

    const apiUrl = stage.apiDomain === undefined ? this.api.url : `https://${stage.apiDomain.domainName}/`;
    this.web.publish({
      assetDir: props.webAssetDir,
      config: {
        apiUrl: publicApiUrl ?? apiUrl,
        staffApiUrl: this.staffApi.url,
        auth: { domain: this.identity.domain.baseUrl(), clientId: this.identity.webClient.userPoolClientId },
      },
    });

    const outputs: Record<string, { value: string; description: string }> = {
      ApiUrl: {
        value: apiUrl,
        description: "Base URL of the public HTTP API (the custom domain when one is set)",
      },
      WebUrl: {
        value: webAppUrl,
        description:
          "The web app: public pages at /, the staff area at /staff (the webAppUrl context when given)",
      },
      ...(this.api.domainName === undefined
        ? {}
        : {
            ApiDomainTarget: {
              value: this.api.domainName.regionalDomainName,
              description: "Point the custom domain's DNS record (CNAME or alias) here",
            },
          }),
      StaffApiUrl: { value: this.staffApi.url, description: "Base URL of the staff HTTP API" },
      LedgerTableName: { value: this.tables.ledger.tableName, description: "Event ledger table" },
      ProjectionTableName: { value: this.tables.projection.tableName, description: "Projection table" },
      QueueUrl: { value: this.queues.queue.queueUrl, description: "Event queue" },
      DeadLetterQueueUrl: { value: this.queues.deadLetterQueue.queueUrl, description: "Dead-letter queue" },
      UserPoolId: { value: this.identity.userPool.userPoolId, description: "Staff user pool" },
      WebClientId: { value: this.identity.webClient.userPoolClientId, description: "Staff web app client" },
      ReportsBucketName: { value: this.reports.bucket.bucketName, description: "Scheduled reports" },
      VaultTableName: { value: this.vault.vault.tableName, description: "Personal-data vault table" },
      AlarmTopicArn: { value: this.monitoring.topic.topicArn, description: "SNS topic the alarms notify" },
    };
    for (const [id, output] of Object.entries(outputs)) new CfnOutput(this, id, output);
  }
}
