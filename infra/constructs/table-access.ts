import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { TableDefinition } from '../../shared/storage/tables.js';
import { MissingStreamError } from '../errors.js';

/**
 * Least-privilege DynamoDB statements built from the shared table definition: the table and its named indexes
 * only (never `index/*`), and only the item-level actions each kind of access needs. Transactions need no
 * actions of their own: DynamoDB checks the per-item actions of each part.
 */

/** `read`: point reads and queries. `write`: adds item writes. `export`: adds Scan, for the statistics export. */
export type TableAccess = 'read' | 'write' | 'export';

const READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'] as const;

const ACTIONS: Readonly<Record<TableAccess, readonly string[]>> = {
  read: READ_ACTIONS,
  write: [
    ...READ_ACTIONS,
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
    'dynamodb:BatchWriteItem',
    'dynamodb:ConditionCheckItem',
  ],
  export: [...READ_ACTIONS, 'dynamodb:Scan'],
};

/** The actions granted for one kind of access (exported for the tests). */
export function tableActions(access: TableAccess): readonly string[] {
  return ACTIONS[access];
}

/** One statement granting `access` on the table and each index its definition declares. */
export function tableAccessStatement(table: ITable, definition: TableDefinition, access: TableAccess): PolicyStatement {
  return new PolicyStatement({
    actions: [...ACTIONS[access]],
    resources: [table.tableArn, ...definition.indexes.map((index) => `${table.tableArn}/index/${index.indexName}`)],
  });
}

/**
 * What a DynamoDB Streams event source mapping needs. `ListStreams` is the one exception to resource scoping:
 * IAM supports no resource for it, and Lambda checks it when the mapping is created; it lists stream ARNs only.
 */
export function streamReadStatements(table: ITable): PolicyStatement[] {
  if (!table.tableStreamArn) throw new MissingStreamError(`table ${table.node.path} has no stream`);
  return [
    new PolicyStatement({
      actions: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'],
      resources: [table.tableStreamArn],
    }),
    new PolicyStatement({ actions: ['dynamodb:ListStreams'], resources: ['*'] }),
  ];
}
