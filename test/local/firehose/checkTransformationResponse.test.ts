import { describe, expect, it } from 'vitest';
import {
  buildInvocations,
  type Invocation,
} from '../../../local/firehose/buildInvocations.js';
import { checkTransformationResponse } from '../../../local/firehose/checkTransformationResponse.js';
import { deliveryRecords } from '../helpers/deliveryRecords.js';

const TARGET = {
  deliveryStreamArn:
    'arn:aws:firehose:local:000000000000:deliverystream/dvault-ste_event',
  sourceKinesisStreamArn:
    'arn:aws:kinesis:local:000000000000:stream/dvault-ste_event',
  region: 'local',
};

const invocation = buildInvocations(
  deliveryRecords(['{"a":1}', '{"a":2}']),
  TARGET,
)[0] as Invocation;
const [first, second] = invocation.event.records;
const ok = (id: string | undefined, data = 'eyJiIjoxfQ==') => ({
  recordId: id,
  result: 'Ok',
  data,
});

describe('checkTransformationResponse', () => {
  it('gives each record its own result when the response keeps the contract', () => {
    const response = {
      records: [
        { recordId: second?.recordId, result: 'Dropped' },
        ok(first?.recordId),
      ],
    };

    const outcomes = checkTransformationResponse(invocation, response);

    expect(outcomes.map((o) => o.result)).toEqual(['Ok', 'Dropped']);
    expect(outcomes[0]).toMatchObject({ data: Buffer.from('{"b":1}') });
  });

  it('marks a record answered ProcessingFailed with the status error', () => {
    const response = {
      records: [
        ok(first?.recordId),
        { ...ok(second?.recordId), result: 'ProcessingFailed' },
      ],
    };

    const outcomes = checkTransformationResponse(invocation, response);

    expect(outcomes[1]).toMatchObject({
      result: 'ProcessingFailed',
      error: { code: 'Lambda.ProcessingFailedStatus' },
    });
  });

  it.each([
    [
      'a record id is missing',
      { records: [ok(first?.recordId)] },
      'Lambda.MissingRecordId',
    ],
    [
      'an unknown record id replaces one',
      { records: [ok(first?.recordId), ok('other')] },
      'Lambda.MissingRecordId',
    ],
    [
      'a record id comes back twice',
      {
        records: [
          ok(first?.recordId),
          ok(second?.recordId),
          ok(first?.recordId),
        ],
      },
      'Lambda.DuplicatedRecordId',
    ],
    [
      'an Ok record has no data',
      {
        records: [
          ok(first?.recordId),
          { recordId: second?.recordId, result: 'Ok' },
        ],
      },
      'Lambda.JsonProcessingException',
    ],
    [
      'data is not base64',
      { records: [ok(first?.recordId), ok(second?.recordId, 'not base64!')] },
      'Lambda.JsonProcessingException',
    ],
    [
      'a result is unknown',
      {
        records: [
          ok(first?.recordId),
          { ...ok(second?.recordId), result: 'Skipped' },
        ],
      },
      'Lambda.JsonProcessingException',
    ],
    [
      'a record id is not a string',
      { records: [ok(first?.recordId), ok(undefined)] },
      'Lambda.JsonProcessingException',
    ],
    [
      'records is not an array',
      { records: {} },
      'Lambda.JsonProcessingException',
    ],
    ['the response is not an object', 'done', 'Lambda.JsonProcessingException'],
    ['nothing is returned', undefined, 'Lambda.JsonProcessingException'],
  ])('fails the whole batch when %s', (_, response, code) => {
    const outcomes = checkTransformationResponse(invocation, response);

    expect(outcomes.map((o) => o.result)).toEqual([
      'ProcessingFailed',
      'ProcessingFailed',
    ]);
    expect(
      outcomes.map((o) =>
        o.result === 'ProcessingFailed' ? o.error.code : '',
      ),
    ).toEqual([code, code]);
  });

  it('fails the whole batch as a function error when the response exceeds the limit', () => {
    const big = Buffer.alloc(3000).toString('base64');
    const response = {
      records: [ok(first?.recordId, big), ok(second?.recordId, big)],
    };

    const outcomes = checkTransformationResponse(invocation, response, 6000);

    expect(
      outcomes.map((o) =>
        o.result === 'ProcessingFailed' ? o.error.code : o.result,
      ),
    ).toEqual(['Lambda.FunctionError', 'Lambda.FunctionError']);
  });
});
