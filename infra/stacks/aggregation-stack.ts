import { Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, type IAlarmAction, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { EventSourceMapping, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { SPIKE_METRIC } from '../../functions/aggregation/spike-metric.js';
import { recordsTable, statsTable } from '../../shared/storage/tables.js';
import type { DeploymentConfig } from '../config.js';
import { anyOccurrenceAlarm } from '../constructs/alarms.js';
import { HandlerFunction } from '../constructs/handler-function.js';
import { streamReadStatements, tableAccessStatement } from '../constructs/table-access.js';
import { MissingStreamError } from '../errors.js';
import { acknowledgeWildcardResource } from '../nag.js';
import type { DataStack } from './data-stack.js';

export interface AggregationStackProps extends StackProps {
  readonly config: DeploymentConfig;
  readonly data: DataStack;
  /** The stream consumer's module (default AGGREGATION_ENTRY). */
  readonly entry?: string;
}

/** The stream consumer; it exports `handler` and reports batch item failures (`batchItemFailures`, see functions/aggregation/handler.ts). */
export const AGGREGATION_ENTRY = 'functions/aggregation/handler.ts';

/** The second consumer of the stream: the transparency log's appender (functions/log/handler.ts). */
export const LOG_APPENDER_ENTRY = 'functions/log/handler.ts';

/** Settings of the stream → aggregation mapping (exported so the tests check the template against them). */
export const STREAM_SETTINGS = {
  batchSize: 100,
  /** A poison record is retried this many times (halving the batch each time), then dead-lettered. */
  retryAttempts: 5,
  maxRecordAge: Duration.days(1),
  maxBatchingWindow: Duration.seconds(1),
} as const;

/**
 * The statistics pipeline: the records table's stream feeds one aggregation function that keeps the counters
 * in the stats table exactly once (its markers make a retried batch harmless). A failing record is isolated by
 * bisecting the batch and reported by item, retried a bounded number of times, then its position is sent to an
 * SQS dead-letter queue, so one bad record never stalls the shard. Alarms cover dead letters, errors, lag and
 * survey spikes.
 */
export class AggregationStack extends Stack {
  readonly handler: HandlerFunction;
  readonly deadLetters: Queue;
  readonly logAppender: HandlerFunction;
  readonly logDeadLetters: Queue;

  constructor(scope: Construct, id: string, props: AggregationStackProps) {
    super(scope, id, props);
    const { config, data } = props;
    const streamArn = data.records.tableStreamArn;
    if (!streamArn) throw new MissingStreamError('the records table must have a stream (shared/storage/tables.ts)');

    this.handler = new HandlerFunction(this, 'Aggregation', {
      config,
      name: 'aggregation',
      entry: props.entry ?? AGGREGATION_ENTRY,
      description: 'DynamoDB stream of records → statistics counters',
      timeout: Duration.seconds(60),
      memorySize: 1024,
      environment: { RECORDS_TABLE: data.records.tableName, STATS_TABLE: data.stats.tableName },
      // Roll-up targets from the committed registry beside the bundle (functions/lib/units.ts), not a GetItem per unit.
      unitRegistry: true,
    });
    this.handler.allow(
      ...streamReadStatements(data.records),
      // Reads the unit registry (roll-up targets) and writes counters, markers and the dirty marker.
      tableAccessStatement(data.records, recordsTable, 'read'),
      tableAccessStatement(data.stats, statsTable, 'write'),
    );
    acknowledgeWildcardResource(
      this.handler,
      '*',
      'dynamodb:ListStreams supports no resource-level permission (it lists stream ARNs, no data) and Lambda checks it when the stream mapping is created; every other stream action is scoped to the records stream.',
    );

    this.deadLetters = new Queue(this, 'DeadLetters', {
      queueName: `${config.prefix}-aggregation-dead-letters`,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetters).acknowledge(
      {
        id: 'AwsSolutions-SQS3',
        reason: 'This queue is itself the dead-letter destination of the stream mapping.',
      },
      {
        id: 'Serverless-SQSRedrivePolicy',
        reason: 'This queue is itself the dead-letter destination of the stream mapping.',
      },
    );

    const mapping = new EventSourceMapping(this, 'RecordsStream', {
      target: this.handler.function,
      eventSourceArn: streamArn,
      startingPosition: StartingPosition.TRIM_HORIZON,
      batchSize: STREAM_SETTINGS.batchSize,
      maxBatchingWindow: STREAM_SETTINGS.maxBatchingWindow,
      bisectBatchOnError: true,
      reportBatchItemFailures: true,
      retryAttempts: STREAM_SETTINGS.retryAttempts,
      maxRecordAge: STREAM_SETTINGS.maxRecordAge,
      // One batch at a time per shard keeps each item's changes in order.
      parallelizationFactor: 1,
      onFailure: new SqsDlq(this.deadLetters),
    });
    // Lambda checks the role's stream permissions when the mapping is created.
    mapping.node.addDependency(this.handler.role);

    Validations.of(this.handler).acknowledge(
      {
        id: 'Serverless-LambdaDLQ',
        reason:
          "Invoked by a stream mapping, never asynchronously: failures go to the mapping's SQS on-failure destination.",
      },
      {
        id: 'Serverless-LambdaTracing',
        reason: 'X-Ray needs xray:PutTraceSegments on "*"; the function logs batch outcomes with Powertools instead.',
      },
    );

    const alarmAction = new SnsAction(data.alarmTopic);
    this.alarms(alarmAction);
    [this.logAppender, this.logDeadLetters] = this.logConsumer(config, data, streamArn, alarmAction);
  }

  /**
   * The transparency log's appender: its own event source mapping on the same stream (its own position, so the
   * statistics and the log never hold each other up). Appends are conditional and idempotent
   * (shared/log/appender.ts), so redelivery is harmless; a record it cannot log is dead-lettered and alarmed:
   * a version missing from the log is a broken promise, not a lag.
   */
  private logConsumer(
    config: AggregationStackProps['config'],
    data: DataStack,
    streamArn: string,
    action: IAlarmAction,
  ): [HandlerFunction, Queue] {
    const appender = new HandlerFunction(this, 'LogAppender', {
      config,
      name: 'log-appender',
      entry: LOG_APPENDER_ENTRY,
      description: 'DynamoDB stream of records → the transparency log (one entry per signed version)',
      timeout: Duration.seconds(60),
      memorySize: 512,
      environment: { RECORDS_TABLE: data.records.tableName, STATS_TABLE: data.stats.tableName },
    });
    // Reads nothing but the stream; writes the log's items and the dirty marker in the stats table.
    appender.allow(...streamReadStatements(data.records), tableAccessStatement(data.stats, statsTable, 'write'));
    acknowledgeWildcardResource(
      appender,
      '*',
      'dynamodb:ListStreams supports no resource-level permission (it lists stream ARNs, no data) and Lambda checks it when the stream mapping is created; every other stream action is scoped to the records stream.',
    );
    const deadLetters = new Queue(this, 'LogDeadLetters', {
      queueName: `${config.prefix}-log-dead-letters`,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(deadLetters).acknowledge(
      { id: 'AwsSolutions-SQS3', reason: 'This queue is itself the dead-letter destination of the log mapping.' },
      {
        id: 'Serverless-SQSRedrivePolicy',
        reason: 'This queue is itself the dead-letter destination of the log mapping.',
      },
    );
    const mapping = new EventSourceMapping(this, 'RecordsStreamToLog', {
      target: appender.function,
      eventSourceArn: streamArn,
      startingPosition: StartingPosition.TRIM_HORIZON,
      batchSize: STREAM_SETTINGS.batchSize,
      maxBatchingWindow: STREAM_SETTINGS.maxBatchingWindow,
      // No bisecting: the handler reports the first record it could not append, and nothing after it overtakes it.
      reportBatchItemFailures: true,
      retryAttempts: STREAM_SETTINGS.retryAttempts,
      maxRecordAge: STREAM_SETTINGS.maxRecordAge,
      parallelizationFactor: 1,
      onFailure: new SqsDlq(deadLetters),
    });
    mapping.node.addDependency(appender.role);
    Validations.of(appender).acknowledge(
      {
        id: 'Serverless-LambdaDLQ',
        reason:
          "Invoked by a stream mapping, never asynchronously: failures go to the mapping's SQS on-failure destination.",
      },
      {
        id: 'Serverless-LambdaTracing',
        reason: 'X-Ray needs xray:PutTraceSegments on "*"; the function logs batch outcomes with Powertools instead.',
      },
    );
    anyOccurrenceAlarm(
      this,
      'LogDeadLettersAlarm',
      'A signed version could not be appended to the transparency log and was dead-lettered.',
      deadLetters.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
    ).addAlarmAction(action);
    return [appender, deadLetters];
  }

  private alarms(action: IAlarmAction): void {
    const fn = this.handler.function;
    const alarms = [
      anyOccurrenceAlarm(
        this,
        'DeadLettersAlarm',
        'A stream record could not be aggregated and was dead-lettered: statistics miss it.',
        this.deadLetters.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
      ),
      anyOccurrenceAlarm(
        this,
        'ErrorsAlarm',
        'The aggregation function failed batches (they are retried, then dead-lettered).',
        fn.metricErrors({ period: Duration.minutes(5) }),
      ),
      new Alarm(this, 'IteratorAgeAlarm', {
        alarmDescription: 'The aggregation lags the records stream by more than 5 minutes.',
        metric: fn.metric('IteratorAge', { statistic: 'Maximum', period: Duration.minutes(5) }),
        threshold: Duration.minutes(5).toMilliseconds(),
        evaluationPeriods: 2,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
      // Emitted (EMF) only when the aggregation flags a spike (shared/stats/spikes.ts): no data is the normal state.
      anyOccurrenceAlarm(
        this,
        'SurveySpikeAlarm',
        "A unit's survey responses in one hour exceeded its usual level many times (methodology: spikes). The unit " +
          'is marked under review on its page until `npm run admin -- spike review` records who reviewed it.',
        new Metric({
          namespace: SPIKE_METRIC.namespace,
          metricName: SPIKE_METRIC.name,
          dimensionsMap: { service: SPIKE_METRIC.service },
          statistic: 'Sum',
          period: Duration.minutes(5),
        }),
      ),
    ];
    for (const alarm of alarms) alarm.addAlarmAction(action);
  }
}
