import { Duration } from "aws-cdk-lib";
import type { IUserPool, IUserPoolClient } from "aws-cdk-lib/aws-cognito";
import type { ITable } from "aws-cdk-lib/aws-dynamodb";
import type { IKey } from "aws-cdk-lib/aws-kms";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { AUTH_ENV } from "#functions/shared/auth.ts";
import { auditIndex } from "#storage/tables.ts";
import { VAULT_ENV } from "#storage/vault-config.ts";
import { grantIndex, grantTableOnly } from "../grants.ts";
import type { StageConfig } from "../stage.ts";
import { AppFunction } from "./app-function.ts";

export interface StaffFunctionsProps {
  /** What every handler loads at cold start (Functions.environment). */
  readonly environment: Readonly<Record<string, string>>;
  readonly ledger: ITable;
  /**
   * Projection items (unit figures), each teacher's places of sponsorship (sponsorship-slots.ts) and the
   * campaign registry items the campaign commands write (campaigns.ts).
   */
  readonly projection: ITable;
  readonly queue: IQueue;
  readonly vault: ITable;
  readonly keys: ITable;
  readonly vaultKey: IKey;
  readonly userPool: IUserPool;
  readonly webClient: IUserPoolClient;
  readonly stage: StageConfig;
}

/**
 * The handlers behind the staff routes and exactly what each may touch:
 * - beneficiaries: the vault and the keys table (register, read, erase), the vault key for wrapping and
 *   unwrapping per-person keys, the ledger's GetItem (retries, amended grants and sponsorships), GetItem
 *   and UpdateItem on the projection table (a teacher's places of sponsorship), PutItem there too (a
 *   campaign's registry item, created by the campaign commands this function serves), sending events;
 * - audit: Query on the ledger's audit index, nothing else (not even the ledger's own items);
 * - unit-figures: Query on the projection table, nothing else (it also serves the public aggregate route,
 *   which reads no token).
 * Neither the projector nor any public function is granted anything on the vault, its keys or its key.
 */
export class StaffFunctions extends Construct {
  readonly beneficiaries: AppFunction;
  readonly audit: AppFunction;
  readonly unitFigures: AppFunction;
  /** What a staff handler loads at cold start: the common settings and the token verifier's. */
  readonly environment: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: StaffFunctionsProps) {
    super(scope, id);
    const { stage } = props;
    const environment = {
      ...props.environment,
      [AUTH_ENV.userPoolId]: props.userPool.userPoolId,
      [AUTH_ENV.userPoolClientId]: props.webClient.userPoolClientId,
    };
    this.environment = environment;
    const common = {
      logRetention: stage.logRetention,
      removalPolicy: stage.removalPolicy,
      logLevel: stage.logLevel,
      tracing: stage.tracing,
      timeout: Duration.seconds(10),
    };

    this.beneficiaries = new AppFunction(this, "Beneficiaries", {
      ...common,
      entry: "functions/beneficiaries/handler.ts",
      description: "Registers beneficiaries, reads and erases their personal data in the vault",
      environment: {
        ...environment,
        [VAULT_ENV.vaultTable]: props.vault.tableName,
        [VAULT_ENV.keysTable]: props.keys.tableName,
        [VAULT_ENV.kmsKeyArn]: props.vaultKey.keyArn,
      },
    });
    props.vault.grant(this.beneficiaries, "dynamodb:GetItem", "dynamodb:PutItem");
    props.keys.grant(this.beneficiaries, "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem");
    // The Encryption SDK's KMS keyring: GenerateDataKey to wrap a person's key, Decrypt to unwrap it.
    props.vaultKey.grant(this.beneficiaries, "kms:GenerateDataKey", "kms:Decrypt");
    grantTableOnly(props.ledger, this.beneficiaries, "dynamodb:GetItem");
    // A teacher's places of sponsorship; a campaign's registry item, created and conditionally changed;
    // the review list of unmatched transfers (Query), a resolution recorded, the transfer taken off it;
    // a restricted fund's commitments (one transaction of an update and a put), decided on a Query of
    // the fund's ledger partition.
    grantTableOnly(
      props.projection,
      this.beneficiaries,
      "dynamodb:GetItem",
      "dynamodb:PutItem",
      "dynamodb:UpdateItem",
      "dynamodb:Query",
      "dynamodb:DeleteItem",
    );
    props.queue.grantSendMessages(this.beneficiaries);

    this.audit = new AppFunction(this, "Audit", {
      ...common,
      entry: "functions/audit/handler.ts",
      description: "Pages through the audit trail of a unit",
      environment,
    });
    grantIndex(props.ledger, auditIndex.name, this.audit, "dynamodb:Query");

    this.unitFigures = new AppFunction(this, "UnitFigures", {
      ...common,
      entry: "functions/unit-figures/handler.ts",
      description: "Reads a unit's support, assessment and sponsorship figures",
      environment,
    });
    grantTableOnly(props.projection, this.unitFigures, "dynamodb:Query");
  }
}
