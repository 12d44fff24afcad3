import type { RemovalPolicy } from "aws-cdk-lib";
import {
  AttributeType,
  BillingMode,
  type ITable,
  ProjectionType,
  Table,
  TableEncryption,
} from "aws-cdk-lib/aws-dynamodb";
import { Construct } from "constructs";
import { auditIndex, ledgerKey, projectionKey } from "../../packages/storage/tables.ts";

export interface TablesProps {
  readonly removalPolicy: RemovalPolicy;
  readonly deletionProtection: boolean;
}

/**
 * The two tables of the event backend, keyed exactly like the local stack's (`packages/storage/tables.ts`).
 * On-demand because traffic comes in bursts around campaigns. The ledger's one index is sparse (staff
 * events only), so the donation path writes no index.
 */
export class Tables extends Construct {
  /** One item per accepted event, keyed by its id: the record of what happened. */
  readonly ledger: ITable;
  /** Campaign totals spread over shards, plus the projector's claim records. */
  readonly projection: ITable;

  constructor(scope: Construct, id: string, props: TablesProps) {
    super(scope, id);
    const common = {
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.AWS_MANAGED,
      deletionProtection: props.deletionProtection,
      removalPolicy: props.removalPolicy,
    } as const;
    const ledger = new Table(this, "Ledger", {
      ...common,
      partitionKey: { name: ledgerKey.partitionKey, type: AttributeType.STRING },
    });
    // The audit trail by unit and time. Sparse: only staff events carry the keys, so donations cost no
    // extra write; the event JSON is projected so a page is one Query.
    ledger.addGlobalSecondaryIndex({
      indexName: auditIndex.name,
      partitionKey: { name: auditIndex.partitionKey, type: AttributeType.STRING },
      sortKey: { name: auditIndex.sortKey, type: AttributeType.STRING },
      projectionType: ProjectionType.INCLUDE,
      nonKeyAttributes: ["event"],
    });
    this.ledger = ledger;
    this.projection = new Table(this, "Projection", {
      ...common,
      partitionKey: { name: projectionKey.partitionKey, type: AttributeType.STRING },
      sortKey: { name: projectionKey.sortKey, type: AttributeType.STRING },
    });
  }
}
