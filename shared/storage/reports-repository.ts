import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { ReplayMarker } from '../auth/replay.js';
import type { SignedRequest } from '../auth/signed-request.js';
import type { ReportStore } from '../reports/ports.js';
import type { ReportRecord } from '../reports/records.js';
import { reportItem, reportOf } from './items/report.js';
import { reportKey } from './keys.js';
import { asUnavailable } from './sdk-errors.js';
import { foundAs, transactWithReplayMarker } from './transactions.js';

/**
 * Reports in the `records` table (keys.ts, "Reports"): one item per agency, unit and month, created only if
 * absent and replaced only if its version is the one the correction named, each write with its replay marker.
 */

/** The ReportStore port over DynamoDB. */
export class DynamoReportStore implements ReportStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** The report, strongly consistent. */
  async get(agencyId: string, unitId: string, month: string): Promise<ReportRecord | undefined> {
    try {
      const { Item } = await this.doc.send(
        new GetCommand({ TableName: this.tableName, Key: reportKey(unitId, month, agencyId), ConsistentRead: true }),
      );
      return Item ? reportOf(Item) : undefined;
    } catch (error) {
      throw asUnavailable(error) ?? error;
    }
  }

  /** Puts the report only if absent, with the replay marker. */
  async create(record: ReportRecord, replay?: ReplayMarker, signed?: SignedRequest): Promise<void> {
    await this.put(record, { ConditionExpression: 'attribute_not_exists(pk)' }, replay, signed);
  }

  /** Replaces the report (the same item: the stream shows old and new figures) if still `expectedVersion`. */
  async replace(
    record: ReportRecord,
    expectedVersion: number,
    replay?: ReplayMarker,
    signed?: SignedRequest,
  ): Promise<void> {
    const condition = {
      ConditionExpression: '#version = :expected',
      ExpressionAttributeNames: { '#version': 'version' },
      ExpressionAttributeValues: { ':expected': expectedVersion },
    };
    await this.put(record, condition, replay, signed);
  }

  /** The report's item under `condition`, in one transaction with the replay marker; a lost race says what it found. */
  private async put(
    record: ReportRecord,
    condition: {
      readonly ConditionExpression: string;
      readonly ExpressionAttributeNames?: Record<string, string>;
      readonly ExpressionAttributeValues?: Record<string, unknown>;
    },
    replay: ReplayMarker | undefined,
    signed: SignedRequest | undefined,
  ): Promise<void> {
    const put = { Put: { TableName: this.tableName, Item: reportItem(record), ...condition } };
    await foundAs(reportOf, transactWithReplayMarker(this.doc, this.tableName, [put], replay, signed));
  }
}
