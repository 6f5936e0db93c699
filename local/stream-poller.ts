import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  type Shard,
  type AttributeValue as StreamsAttributeValue,
  type _Record as StreamsRecord,
} from '@aws-sdk/client-dynamodb-streams';
import type { AttributeValue, Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { BackgroundLoop } from './background-loop.js';

/**
 * What Lambda's event source mapping does in AWS, for `npm start`: reads the records table's stream on DynamoDB
 * Local (shards, iterators, parents before children), invokes the aggregation handler with the event Lambda would
 * send (marshalled images, epoch-second creation times, the stream ARN), and honours its `batchItemFailures`:
 * the next batch starts at the first failed record. A record that fails `maxAttempts` times in a row is parked in
 * `${dataDir}/dlq/` as a JSON file and the shard moves past it, so one poison record never blocks the rest.
 * Checkpoints (the last sequence number done, per shard) persist in `${dataDir}/stream-checkpoints.json`, so a
 * restart resumes where it stopped; redelivering a little after a crash is harmless (the handler skips what it
 * applied).
 */

export type StreamHandler = (
  event: DynamoDBStreamEvent,
  context: Context,
) => Promise<DynamoDBBatchResponse | undefined>;

export interface StreamPollerOptions {
  readonly dynamo: DynamoDBClient;
  readonly streams: DynamoDBStreamsClient;
  readonly tableName: string;
  readonly dataDir: string;
  readonly handler: StreamHandler;
  /**
   * Names this consumer when several read the same stream (as several event source mappings do in AWS): each
   * keeps its own position (`stream-checkpoints-<consumer>.json`) and parks in `dlq/<consumer>/`.
   */
  readonly consumer?: string;
  /** Records per invocation (Lambda's BatchSize). */
  readonly batchSize?: number;
  /** Pause when every shard is caught up. */
  readonly idleMs?: number;
  /** Deliveries of a failing record before it is parked. */
  readonly maxAttempts?: number;
  /** First pause before a retry; doubled each time. */
  readonly retryDelayMs?: number;
  readonly log?: (line: string) => void;
}

interface ShardCheckpoint {
  /** Last sequence number handled (applied or parked). */
  sequence?: string;
  /** The shard is closed and read to its end. */
  done?: boolean;
}

interface CheckpointFile {
  streamArn: string;
  shards: Record<string, ShardCheckpoint>;
}

/** Reads a stream and feeds a handler until stopped (see the module comment). */
export class StreamPoller extends BackgroundLoop {
  readonly #options: Required<Omit<StreamPollerOptions, 'log' | 'consumer'>> &
    Pick<StreamPollerOptions, 'log' | 'consumer'>;
  #streamArn: string | undefined;
  #checkpoints: CheckpointFile | undefined;
  readonly #iterators = new Map<string, string>();
  readonly #attempts = new Map<string, number>();
  /** Resolvers waiting for a pass over every shard that found nothing new. */
  #idleWaiters: (() => void)[] = [];
  #passes = 0;

  constructor(options: StreamPollerOptions) {
    super();
    this.#options = {
      batchSize: 100,
      idleMs: 250,
      maxAttempts: 5,
      retryDelayMs: 100,
      ...options,
    };
  }

  /** Stops after the current invocation; resolves when the loop has ended. */
  override async stop(): Promise<void> {
    await super.stop();
    for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }

  /** Resolves once every record written before the call has been handled (or parked). */
  async drain(timeoutMs = 60_000): Promise<void> {
    const wanted = this.#passes + 2; // a pass that started after this call, then found nothing new
    const deadline = Date.now() + timeoutMs;
    while (this.#passes < wanted) {
      if (!this.running) throw new Error('the stream poller is not running');
      if (Date.now() > deadline) throw new Error(`the stream was not drained within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        this.#idleWaiters.push(resolve);
        setTimeout(resolve, 200).unref();
      });
    }
  }

  protected override idleMs(): number {
    return this.#options.idleMs;
  }

  protected override failed(error: unknown): number {
    this.#options.log?.(`stream poller: ${(error as Error).message}`);
    return 1_000;
  }

  /** A pass that found nothing new: what `drain` waits for. */
  protected override idle(): void {
    this.#passes++;
    for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }

  /** One pass over the shards; true when any record was handled (another pass should follow at once). */
  protected override async round(): Promise<boolean> {
    const streamArn = await this.#stream();
    if (!streamArn) return false;
    const shards = await this.#shards(streamArn);
    const state = this.#state(streamArn);
    const known = new Set(shards.map((shard) => shard.ShardId));
    let progressed = false;
    for (const shard of shards) {
      const id = shard.ShardId;
      if (!id || state.shards[id]?.done) continue;
      // Parents first: an item's older changes are in the parent shard (a parent no longer listed was trimmed).
      const parent = shard.ParentShardId;
      if (parent && known.has(parent) && !state.shards[parent]?.done) continue;
      progressed = (await this.#readShard(streamArn, id)) || progressed;
      if (!this.running) break;
    }
    return progressed;
  }

  async #readShard(streamArn: string, shardId: string): Promise<boolean> {
    const checkpoint = this.#state(streamArn).shards[shardId] ?? {};
    let iterator = this.#iterators.get(shardId) ?? (await this.#iterator(streamArn, shardId, checkpoint.sequence));
    let page: GetRecordsCommandOutput;
    try {
      page = await this.#options.streams.send(
        new GetRecordsCommand({ ShardIterator: iterator, Limit: this.#options.batchSize }),
      );
    } catch (error) {
      if ((error as Error).name !== 'ExpiredIteratorException') throw error;
      iterator = await this.#iterator(streamArn, shardId, checkpoint.sequence);
      page = await this.#options.streams.send(
        new GetRecordsCommand({ ShardIterator: iterator, Limit: this.#options.batchSize }),
      );
    }
    const records = page.Records ?? [];
    if (records.length === 0) {
      if (page.NextShardIterator) this.#iterators.set(shardId, page.NextShardIterator);
      else await this.#finishShard(streamArn, shardId);
      return false;
    }
    await this.#deliver(streamArn, shardId, records, page.NextShardIterator);
    return true;
  }

  /** Invokes the handler; moves the checkpoint past what it applied, retries or parks the first failure. */
  async #deliver(
    streamArn: string,
    shardId: string,
    records: readonly StreamsRecord[],
    next: string | undefined,
  ): Promise<void> {
    const event: DynamoDBStreamEvent = { Records: records.map((record) => toLambdaRecord(record, streamArn)) };
    let failedSequences: string[];
    try {
      const response = await this.#options.handler(event, localContext());
      failedSequences = (response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier);
    } catch (error) {
      // A handler that throws fails the whole batch, as in Lambda.
      this.#options.log?.(`aggregation handler threw: ${(error as Error).message}`);
      failedSequences = records.flatMap((record) => record.dynamodb?.SequenceNumber ?? []);
    }
    const sequences = records.map((record) => record.dynamodb?.SequenceNumber ?? '');
    const firstFailed = sequences.findIndex((sequence) => failedSequences.includes(sequence));
    if (firstFailed < 0) {
      await this.#advance(streamArn, shardId, sequences[sequences.length - 1]);
      if (next) this.#iterators.set(shardId, next);
      else await this.#finishShard(streamArn, shardId);
      this.#attempts.clear();
      return;
    }

    // Lambda's checkpoint semantics: everything before the first failed record is done.
    if (firstFailed > 0) await this.#advance(streamArn, shardId, sequences[firstFailed - 1]);
    const failedSequence = sequences[firstFailed] ?? '';
    const attempts = (this.#attempts.get(failedSequence) ?? 0) + 1;
    this.#attempts.set(failedSequence, attempts);
    if (attempts >= this.#options.maxAttempts) {
      this.#park(streamArn, shardId, event.Records[firstFailed], attempts);
      await this.#advance(streamArn, shardId, failedSequence);
      this.#attempts.delete(failedSequence);
    } else {
      await sleep(this.#options.retryDelayMs * 2 ** (attempts - 1));
    }
    // Read again from the checkpoint: the failed record (or the one after a parked record) comes first.
    this.#iterators.delete(shardId);
  }

  #park(streamArn: string, shardId: string, record: DynamoDBRecord | undefined, attempts: number): void {
    const dir = join(this.#options.dataDir, 'dlq', ...(this.#options.consumer ? [this.#options.consumer] : []));
    mkdirSync(dir, { recursive: true });
    const sequence = record?.dynamodb?.SequenceNumber ?? 'unknown';
    const file = join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${sequence}.json`);
    const entry = { parkedAt: new Date().toISOString(), streamArn, shardId, attempts, record };
    writeFileSync(file, `${JSON.stringify(entry, null, 2)}\n`);
    this.#options.log?.(`stream record ${sequence} failed ${attempts} times; parked in ${file}`);
  }

  async #stream(): Promise<string | undefined> {
    if (this.#streamArn) return this.#streamArn;
    const described = await this.#options.dynamo.send(new DescribeTableCommand({ TableName: this.#options.tableName }));
    this.#streamArn = described.Table?.LatestStreamArn;
    return this.#streamArn;
  }

  async #shards(streamArn: string): Promise<Shard[]> {
    const shards: Shard[] = [];
    let start: string | undefined;
    do {
      const page = await this.#options.streams.send(
        new DescribeStreamCommand({ StreamArn: streamArn, ...(start ? { ExclusiveStartShardId: start } : {}) }),
      );
      shards.push(...(page.StreamDescription?.Shards ?? []));
      start = page.StreamDescription?.LastEvaluatedShardId;
    } while (start);
    return shards;
  }

  async #iterator(streamArn: string, shardId: string, after: string | undefined): Promise<string> {
    const get = async (from: string | undefined) => {
      const { ShardIterator } = await this.#options.streams.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shardId,
          ...(from
            ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: from }
            : { ShardIteratorType: 'TRIM_HORIZON' }),
        }),
      );
      if (!ShardIterator) throw new Error(`no iterator for shard ${shardId}`);
      return ShardIterator;
    };
    try {
      return await get(after);
    } catch (error) {
      // The checkpoint is older than the stream's retention (a store left stopped for over a day): what was
      // trimmed is lost to the stream; `npm run stats -- rebuild` recomputes it from the records.
      if ((error as Error).name !== 'TrimmedDataAccessException') throw error;
      this.#options.log?.(
        `stream records after ${after} were trimmed; reading from the oldest kept (run stats rebuild)`,
      );
      return get(undefined);
    }
  }

  #state(streamArn: string): CheckpointFile {
    if (this.#checkpoints?.streamArn === streamArn) return this.#checkpoints;
    let stored: CheckpointFile | undefined;
    try {
      stored = JSON.parse(readFileSync(this.#checkpointFile(), 'utf8')) as CheckpointFile;
    } catch {
      stored = undefined;
    }
    // Checkpoints of another stream (the table was recreated) mean nothing for this one.
    this.#checkpoints = stored?.streamArn === streamArn ? stored : { streamArn, shards: {} };
    return this.#checkpoints;
  }

  async #advance(streamArn: string, shardId: string, sequence: string | undefined): Promise<void> {
    if (!sequence) return;
    const state = this.#state(streamArn);
    state.shards[shardId] = { ...state.shards[shardId], sequence };
    await this.#save();
  }

  async #finishShard(streamArn: string, shardId: string): Promise<void> {
    const state = this.#state(streamArn);
    state.shards[shardId] = { ...state.shards[shardId], done: true };
    this.#iterators.delete(shardId);
    await this.#save();
  }

  #saving: Promise<void> = Promise.resolve();

  #checkpointFile(): string {
    const suffix = this.#options.consumer ? `-${this.#options.consumer}` : '';
    return join(this.#options.dataDir, `stream-checkpoints${suffix}.json`);
  }

  /** Written to a temporary file and renamed: a crash never leaves half a checkpoint file. */
  /**
   * Writes the checkpoints (to a temporary file renamed into place), off the event loop: the gateway and every
   * handler share this thread, and a synchronous write and rename after each batch stalled them (a profile of the
   * throughput bench: over a second of blocking renames). Saves run one after the other, each with the checkpoints
   * as they were when it was asked for, and the delivery waits for its own before reading on.
   */
  #save(): Promise<void> {
    if (!this.#checkpoints) return Promise.resolve();
    const file = this.#checkpointFile();
    const content = `${JSON.stringify(this.#checkpoints, null, 2)}\n`;
    const write = async () => {
      await mkdir(this.#options.dataDir, { recursive: true });
      await writeFile(`${file}.tmp`, content);
      await rename(`${file}.tmp`, file);
    };
    this.#saving = this.#saving.then(write, write);
    return this.#saving;
  }
}

/** A stream record as the streams API returns it, in the shape Lambda delivers it. */
export function toLambdaRecord(record: StreamsRecord, streamArn: string): DynamoDBRecord {
  const stream = record.dynamodb;
  const created = stream?.ApproximateCreationDateTime;
  return {
    ...(record.eventID ? { eventID: record.eventID } : {}),
    ...(record.eventName ? { eventName: record.eventName } : {}),
    eventVersion: record.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: record.awsRegion ?? 'ddblocal',
    eventSourceARN: streamArn,
    dynamodb: {
      ...(created ? { ApproximateCreationDateTime: Math.floor(created.getTime() / 1000) } : {}),
      ...(stream?.Keys ? { Keys: toLambdaImage(stream.Keys) } : {}),
      ...(stream?.NewImage ? { NewImage: toLambdaImage(stream.NewImage) } : {}),
      ...(stream?.OldImage ? { OldImage: toLambdaImage(stream.OldImage) } : {}),
      ...(stream?.SequenceNumber ? { SequenceNumber: stream.SequenceNumber } : {}),
      ...(stream?.SizeBytes !== undefined ? { SizeBytes: stream.SizeBytes } : {}),
      ...(stream?.StreamViewType ? { StreamViewType: stream.StreamViewType } : {}),
    },
  };
}

function toLambdaImage(image: Record<string, StreamsAttributeValue>): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const [name, value] of Object.entries(image)) {
    const converted = toLambdaValue(value);
    if (converted) out[name] = converted;
  }
  return out;
}

// Lambda sends binary as base64 text, the SDK hands it over as bytes; everything else has the same shape.
function toLambdaValue(value: StreamsAttributeValue): AttributeValue | undefined {
  if (value.S !== undefined) return { S: value.S };
  if (value.N !== undefined) return { N: value.N };
  if (value.BOOL !== undefined) return { BOOL: value.BOOL };
  if (value.NULL !== undefined) return { NULL: value.NULL };
  if (value.M !== undefined) return { M: toLambdaImage(value.M) };
  if (value.L !== undefined) return { L: value.L.flatMap((item) => toLambdaValue(item) ?? []) };
  if (value.SS !== undefined) return { SS: value.SS };
  if (value.NS !== undefined) return { NS: value.NS };
  if (value.B !== undefined) return { B: Buffer.from(value.B).toString('base64') };
  if (value.BS !== undefined) return { BS: value.BS.map((b) => Buffer.from(b).toString('base64')) };
  return undefined;
}

/** A Lambda context for a local invocation (no deadline worth stopping early for). */
function localContext(): Context {
  const fail = () => undefined;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'aggregation',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:local:000000000000:function:aggregation',
    memoryLimitInMB: '512',
    awsRequestId: crypto.randomUUID(),
    logGroupName: '/local/aggregation',
    logStreamName: 'local',
    getRemainingTimeInMillis: () => 15 * 60_000,
    done: fail,
    fail,
    succeed: fail,
  };
}
