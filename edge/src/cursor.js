// Opaque pagination cursors: the storage sequence number of the last run on a page.

export function encodeCursor(seq) {
  return btoa(`s:${seq}`).replace(/=+$/, "");
}

export function decodeCursor(cursor) {
  try {
    const m = /^s:(\d{1,15})$/.exec(atob(cursor));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}
