import * as t from 'io-ts';

/**
 * Where an event was read: the landed object and its place in it. The
 * producer attaches it to every record so each row can name its file.
 */
export const Provenance = t.type(
  {
    bucket: t.string,
    key: t.string,
    etag: t.union([t.string, t.null]),
    version_id: t.union([t.string, t.null]),
    index: t.number,
    offset: t.number,
  },
  'Provenance',
);
export type Provenance = t.TypeOf<typeof Provenance>;
