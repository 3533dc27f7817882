import type {
  PutRecordsCommandInput,
  PutRecordsCommandOutput,
} from '@aws-sdk/client-kinesis';

type PutRecordsResponse = Omit<PutRecordsCommandOutput, '$metadata'>;

const THROTTLED = {
  ErrorCode: 'ProvisionedThroughputExceededException',
  ErrorMessage: 'Rate exceeded for shard shardId-000000000000 in stream.',
};

/**
 * A PutRecords response accepting every entry, shaped like Kinesis's own:
 * one result per entry in request order, with shard and sequence numbers.
 */
export function acceptAll(input: PutRecordsCommandInput): PutRecordsResponse {
  return {
    FailedRecordCount: 0,
    Records: (input.Records ?? []).map((_, at) => ({
      ShardId: 'shardId-000000000000',
      SequenceNumber: `4963660400285515739863932128625968091189998340151600${String(at).padStart(4, '0')}`,
    })),
  };
}

/** A response refusing the entries at the given positions as throttled. */
export function refuseAt(
  positions: number[],
): (input: PutRecordsCommandInput) => PutRecordsResponse {
  return (input) => {
    const accepted = acceptAll(input).Records ?? [];
    return {
      FailedRecordCount: positions.length,
      Records: accepted.map((entry, at) =>
        positions.includes(at) ? THROTTLED : entry,
      ),
    };
  };
}

/** A response refusing every entry as throttled. */
export function refuseAll(input: PutRecordsCommandInput): PutRecordsResponse {
  const count = input.Records?.length ?? 0;
  return refuseAt([...Array(count).keys()])(input);
}

/** The decoded data of every entry of every PutRecords call, per call. */
export function sentData(
  calls: { args: [{ input: PutRecordsCommandInput }] }[],
): string[][] {
  return calls.map((call) =>
    (call.args[0].input.Records ?? []).map((entry) =>
      Buffer.from(entry.Data ?? []).toString('utf8'),
    ),
  );
}
