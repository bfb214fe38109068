// Pagination cursors: `s` and the storage sequence number of the last run on a page, in decimal
// (`s1` … `s999999999999999`). Clients treat them as opaque; the OpenAPI document publishes
// `CURSOR_PATTERN`, so any string matching it is a cursor the server accepts (a cursor past the
// newest run is an empty page), and anything else is 422.

export const CURSOR_PATTERN = "^s[1-9][0-9]{0,14}$";
const CURSOR = new RegExp(CURSOR_PATTERN);

export function encodeCursor(seq) {
  return `s${seq}`;
}

/** The sequence number of a cursor, or null when `cursor` does not match `CURSOR_PATTERN`. */
export function decodeCursor(cursor) {
  return CURSOR.test(cursor) ? Number(cursor.slice(1)) : null;
}
