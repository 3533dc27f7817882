import { eventTextOf } from '../schemas/index.js';
import type { ParsedRecord } from './parseRecordData.js';

/**
 * The event's JSON text exactly as it stood in the landed file, for a
 * dirty record's `raw`, so a replay puts back the very bytes that failed
 * (number spellings such as `9.6E-4` included).
 *
 * The producer writes the event's own text inside the stream record (see
 * `encodeStreamRecord`). When a record was written some other way and its
 * event text cannot be cut out, the event is serialised again: the content
 * is kept, its spelling may differ.
 */
export function originalEventText(record: ParsedRecord): string {
  if (record.source === null) return record.text.trim();
  const text = eventTextOf(record.text.trimEnd());
  if (text !== undefined && isJson(text)) return text;
  return serialised(record);
}

// JSON.stringify recurses and throws on an event nested thousands of
// levels deep; the record's whole text then keeps the event, provenance
// wrapper included, rather than losing it.
function serialised(record: ParsedRecord): string {
  try {
    return JSON.stringify(record.event) ?? String(record.event);
  } catch {
    return record.text.trim();
  }
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
