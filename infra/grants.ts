import type { ITable } from "aws-cdk-lib/aws-dynamodb";
import { Grant, type IGrantable } from "aws-cdk-lib/aws-iam";

/**
 * `actions` on the table itself and none of its indexes. `ITable.grant` adds every index (`/index/*`)
 * once a table has one, which is more than a function that never queries an index should hold.
 */
export const grantTableOnly = (table: ITable, grantee: IGrantable, ...actions: string[]): Grant =>
  Grant.addToPrincipal({ grantee, actions, resourceArns: [table.tableArn] });

/** `actions` on one named index of the table, and nothing on the table or its other indexes. */
export const grantIndex = (
  table: ITable,
  indexName: string,
  grantee: IGrantable,
  ...actions: string[]
): Grant =>
  Grant.addToPrincipal({ grantee, actions, resourceArns: [`${table.tableArn}/index/${indexName}`] });
