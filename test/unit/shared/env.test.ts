import { describe, expect, it } from 'vitest';
import { requiredEnv } from '../../../shared/env.js';
import { localCredentialsFromEnv } from '../../../shared/storage/client.js';
import { tableNamesFromEnv } from '../../../shared/storage/tables.js';

describe('requiredEnv', () => {
  it('answers every named variable', () => {
    expect(requiredEnv({ A: 'a', B: 'b', C: 'c' }, ['A', 'B'], 'A and B must be set')).toEqual({ A: 'a', B: 'b' });
  });

  it('throws the message when any is missing or empty', () => {
    expect(() => requiredEnv({ A: 'a' }, ['A', 'B'], 'A and B must be set')).toThrow('A and B must be set');
    expect(() => requiredEnv({ A: '', B: 'b' }, ['A', 'B'], 'A and B must be set')).toThrow('A and B must be set');
  });

  it('reads the table names and the local credentials through it', () => {
    expect(tableNamesFromEnv({ RECORDS_TABLE: 'r', STATS_TABLE: 's' })).toEqual({ records: 'r', stats: 's' });
    expect(() => tableNamesFromEnv({ RECORDS_TABLE: 'r' })).toThrow('RECORDS_TABLE and STATS_TABLE must be set');
    expect(
      localCredentialsFromEnv({ DYNAMODB_LOCAL_ACCESS_KEY_ID: 'k', DYNAMODB_LOCAL_SECRET_ACCESS_KEY: 's' }),
    ).toEqual({ accessKeyId: 'k', secretAccessKey: 's' });
    expect(() => localCredentialsFromEnv({ DYNAMODB_LOCAL_ACCESS_KEY_ID: 'k' })).toThrow(/only answers its own key/);
  });
});
