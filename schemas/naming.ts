/** The prefix of every stream and delivery stream name unless configured. */
export const DEFAULT_RESOURCE_PREFIX = 'dvault-';

/**
 * The name of a table's Kinesis stream and of its Firehose delivery stream:
 * the prefix, then the table (`dvault-ste_event`). Both services accept
 * letters, digits, `_`, `.` and `-` in names.
 */
export function resourceNameFor(
  table: string,
  prefix = DEFAULT_RESOURCE_PREFIX,
): string {
  return `${prefix}${table}`;
}

/**
 * The table a stream or delivery stream serves, from its name or ARN, or
 * undefined when the name does not carry the prefix.
 */
export function tableFromResourceName(
  nameOrArn: string,
  prefix = DEFAULT_RESOURCE_PREFIX,
): string | undefined {
  const name = nameOrArn.slice(nameOrArn.lastIndexOf('/') + 1);
  return name.startsWith(prefix) ? name.slice(prefix.length) : undefined;
}
