import type { RemovalPolicy } from "aws-cdk-lib";
import { AttributeType, BillingMode, type ITable, Table, TableEncryption } from "aws-cdk-lib/aws-dynamodb";
import { type IKey, Key } from "aws-cdk-lib/aws-kms";
import { Construct } from "constructs";
import { vaultKey } from "../../packages/storage/tables.ts";
import { acknowledge } from "../nag.ts";

export interface VaultProps {
  readonly removalPolicy: RemovalPolicy;
  readonly deletionProtection: boolean;
}

/**
 * Beneficiaries' personal data (packages/storage/vault.ts): a KMS key with yearly rotation that wraps
 * each person's data key, the vault table of ciphertext (with point-in-time recovery), and the keys
 * table of wrapped per-person keys (without it: a deleted key must not come back from a backup, which
 * is what makes erasure work while the vault's backups still hold the ciphertext).
 */
export class Vault extends Construct {
  readonly key: IKey;
  readonly vault: ITable;
  readonly keys: ITable;

  constructor(scope: Construct, id: string, props: VaultProps) {
    super(scope, id);
    this.key = new Key(this, "Key", {
      description: "Wraps the per-person data keys of the khuyenhoc personal-data vault",
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy,
    });
    const common = {
      billingMode: BillingMode.PAY_PER_REQUEST,
      partitionKey: { name: vaultKey.partitionKey, type: AttributeType.STRING },
      // The items are already ciphertext under the key above; the table's own encryption is the default.
      encryption: TableEncryption.AWS_MANAGED,
      deletionProtection: props.deletionProtection,
      removalPolicy: props.removalPolicy,
    } as const;
    this.vault = new Table(this, "Vault", {
      ...common,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    });
    this.keys = new Table(this, "Keys", {
      ...common,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: false },
    });
    acknowledge(
      this.keys,
      "AwsSolutions-DDB3",
      "Crypto-shredding: erasing a person deletes their wrapped data key from this table, and a " +
        "point-in-time restore would bring it back and make their erased data readable again. Losing this " +
        "table loses only keys of people whose data then reads as erased (docs/privacy.md).",
    );
  }
}
