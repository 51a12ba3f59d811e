/**
 * Keyset pagination cursors: the last row's (timestamp, id), opaque to clients (base64url of a JSON pair).
 * Every list ordered by a time and an id pages with these; each caller names its own error for a bad one.
 */
export function encodeKeysetCursor(at: Date | string, id: string): string {
  return Buffer.from(JSON.stringify([new Date(at).toISOString(), id])).toString('base64url');
}

/** The (timestamp, id) a cursor carries; `invalid()` is thrown for anything this module did not encode. */
export function decodeKeysetCursor(cursor: string, invalid: () => Error): { at: Date; id: string } {
  try {
    const [value, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    const at = new Date(value);
    if (Number.isNaN(at.getTime()) || typeof id !== 'string' || !/^[0-9a-f-]{36}$/.test(id)) throw new Error('bad cursor');
    return { at, id };
  } catch {
    throw invalid();
  }
}
