import { Duration, type RemovalPolicy } from "aws-cdk-lib";
import type { ITable } from "aws-cdk-lib/aws-dynamodb";
import { type ISecret, Secret } from "aws-cdk-lib/aws-secretsmanager";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { PAYMENT_SECRET_ENV } from "#functions/payments/secret.ts";
import { grantTableOnly } from "../grants.ts";
import { acknowledge } from "../nag.ts";
import type { StageConfig } from "../stage.ts";
import { AppFunction } from "./app-function.ts";

export interface PaymentsProps {
  /** What every handler loads at cold start (Functions.environment). */
  readonly environment: Readonly<Record<string, string>>;
  readonly ledger: ITable;
  /** Donation-code items (read), the review list and unmatched transfers (written): payments.ts. */
  readonly projection: ITable;
  readonly queue: IQueue;
  readonly stage: StageConfig;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The bank-transfer door (docs/payments.md): the secret the notifier signs with, generated here and
 * read by the function once per container, and the function with exactly what it touches: the ledger's
 * GetItem (a notifier's retry), GetItem on the projection table (a donation code's pledge, a campaign's
 * registry item, an unmatched transfer read back), PutItem there (the review list), sending events.
 */
export class Payments extends Construct {
  readonly secret: ISecret;
  readonly bankTransfer: AppFunction;

  constructor(scope: Construct, id: string, props: PaymentsProps) {
    super(scope, id);
    const { stage } = props;
    this.secret = new Secret(this, "NotifierSecret", {
      description: "Shared secret the bank-transfer notifier signs its calls with (HMAC-SHA256)",
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: props.removalPolicy,
    });
    acknowledge(
      this.secret,
      "AwsSolutions-SMG4",
      "The notifier holds a copy of this secret: it is rotated by hand in both places at once, since an " +
        "automatic rotation would make every notification fail until the notifier is told.",
    );
    this.bankTransfer = new AppFunction(this, "BankTransfer", {
      entry: "functions/payments/handler.ts",
      description: "Authenticates bank-transfer notifications, matches them to pledges and enqueues them",
      environment: { ...props.environment, [PAYMENT_SECRET_ENV.secretArn]: this.secret.secretArn },
      logRetention: stage.logRetention,
      removalPolicy: stage.removalPolicy,
      logLevel: stage.logLevel,
      tracing: stage.tracing,
      timeout: Duration.seconds(10),
    });
    this.secret.grantRead(this.bankTransfer);
    grantTableOnly(props.ledger, this.bankTransfer, "dynamodb:GetItem");
    grantTableOnly(props.projection, this.bankTransfer, "dynamodb:GetItem", "dynamodb:PutItem");
    props.queue.grantSendMessages(this.bankTransfer);
  }
}
