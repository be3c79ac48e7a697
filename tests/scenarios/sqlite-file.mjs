// Editing a stopped server's SQLite file from a test, with sql.js (SQLite compiled to Wasm,
// already a dependency). Both hosts keep their databases in WAL mode and workerd leaves its
// -wal file behind when it stops, which sql.js cannot read: the committed frames of the WAL
// are folded into the database image first (https://sqlite.org/fileformat2.html#walformat),
// then the edited image is written back without the -wal and -shm files.
import { existsSync, readdirSync, statSync } from "node:fs";
import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";

import initSqlJs from "sql.js";

let sqlJs = null;
const loadSqlJs = () => (sqlJs ??= initSqlJs());

const WAL_HEADER = 32;
const FRAME_HEADER = 24;

// SQLite's WAL checksum over 32-bit words, continuing from [s0, s1].
function walChecksum(bytes, bigEndian, [s0, s1]) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < bytes.length; i += 8) {
    s0 = (s0 + view.getUint32(i, !bigEndian) + s1) >>> 0;
    s1 = (s1 + view.getUint32(i + 4, !bigEndian) + s0) >>> 0;
  }
  return [s0, s1];
}

// The database image with every committed transaction of the WAL applied.
export function foldWal(database, wal) {
  if (!wal || wal.length < WAL_HEADER) return database;
  const header = new DataView(wal.buffer, wal.byteOffset, WAL_HEADER);
  const magic = header.getUint32(0);
  if (magic !== 0x377f0682 && magic !== 0x377f0683) throw new Error("not a SQLite WAL file");
  const bigEndian = (magic & 1) === 1;
  const pageSize = header.getUint32(8);
  const salts = [header.getUint32(16), header.getUint32(20)];
  let sum = walChecksum(wal.subarray(0, 24), bigEndian, [0, 0]);
  if (sum[0] !== header.getUint32(24) || sum[1] !== header.getUint32(28)) return database; // an empty WAL

  const committed = new Map();
  let pending = new Map();
  let pages = Math.floor(database.length / pageSize);
  for (let at = WAL_HEADER; at + FRAME_HEADER + pageSize <= wal.length; at += FRAME_HEADER + pageSize) {
    const frame = new DataView(wal.buffer, wal.byteOffset + at, FRAME_HEADER);
    if (frame.getUint32(8) !== salts[0] || frame.getUint32(12) !== salts[1]) break;
    const page = wal.subarray(at + FRAME_HEADER, at + FRAME_HEADER + pageSize);
    sum = walChecksum(wal.subarray(at, at + 8), bigEndian, sum);
    sum = walChecksum(page, bigEndian, sum);
    if (sum[0] !== frame.getUint32(16) || sum[1] !== frame.getUint32(20)) break;
    pending.set(frame.getUint32(0), page);
    const sizeAfterCommit = frame.getUint32(4);
    if (sizeAfterCommit !== 0) {
      for (const [number, bytes] of pending) committed.set(number, bytes);
      pending = new Map();
      pages = sizeAfterCommit;
    }
  }
  const image = new Uint8Array(pages * pageSize);
  image.set(database.subarray(0, Math.min(database.length, image.length)));
  for (const [number, bytes] of committed) {
    if (number <= pages) image.set(bytes, (number - 1) * pageSize);
  }
  return image;
}

// Opens the file (WAL folded in) in sql.js, runs edit(db), and writes the result back in
// place of the file and its WAL. Returns what edit returned. The server must be stopped.
export async function editSqliteFile(path, edit) {
  const wal = existsSync(`${path}-wal`) ? new Uint8Array(await readFile(`${path}-wal`)) : null;
  const image = foldWal(new Uint8Array(await readFile(path)), wal);
  // Bytes 18 and 19 say WAL mode (2); sql.js keeps its database in memory and opens it
  // in rollback mode (1). The original mode is put back when writing.
  const mode = [image[18], image[19]];
  image[18] = image[19] = 1;
  const SQL = await loadSqlJs();
  const db = new SQL.Database(image);
  let result;
  let edited;
  try {
    result = edit(db);
    edited = db.export();
  } finally {
    db.close();
  }
  [edited[18], edited[19]] = mode;
  await writeFile(path, edited);
  await rm(`${path}-wal`, { force: true });
  await rm(`${path}-shm`, { force: true });
  return result;
}

// Reads the file (WAL folded in) without changing it.
export const readSqliteFile = async (path, read) => {
  const wal = existsSync(`${path}-wal`) ? new Uint8Array(await readFile(`${path}-wal`)) : null;
  const image = foldWal(new Uint8Array(await readFile(path)), wal);
  image[18] = image[19] = 1;
  const SQL = await loadSqlJs();
  const db = new SQL.Database(image);
  try {
    return read(db);
  } finally {
    db.close();
  }
};

// Every *.sqlite file under dir (recursively), for finding a Durable Object's database.
export function sqliteFilesUnder(dir) {
  const found = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...sqliteFilesUnder(path));
    else if (name.endsWith(".sqlite")) found.push(path);
  }
  return found;
}

// Row objects of a query.
export function rows(db, sql, params = []) {
  const statement = db.prepare(sql);
  try {
    statement.bind(params);
    const out = [];
    while (statement.step()) out.push(statement.getAsObject());
    return out;
  } finally {
    statement.free();
  }
}
