// An object's storage on SQLite, the same on every host: storage.* effects live in the
// table _storage of the object's own database (as natively), and sql.exec runs the
// core's SQL next to it. Durable Objects (ctx.storage.sql) and the WASI driver (sql.js)
// supply a `db`:
//   db.query(sql, params) → {columns: [...], rows: [[...], ...]}
// where params and cells are JS values (null, number, string, Uint8Array for blobs).
import { decodeBase64, encodeBase64 } from "./base64.js";

export const STORAGE_SCHEMA = "CREATE TABLE IF NOT EXISTS _storage (key TEXT PRIMARY KEY, value TEXT NOT NULL)";

// The smallest string above every string that starts with prefix, or null if none:
// the exclusive end of a prefix range. SQLite orders TEXT by UTF-8 bytes, i.e. by code
// point, so bumping the last code point (skipping surrogates) is the successor.
export function prefixEnd(prefix) {
  const points = [...prefix].map((c) => c.codePointAt(0));
  while (points.length > 0) {
    const last = points.pop();
    if (last < 0x10ffff) {
      points.push(last + 1 === 0xd800 ? 0xe000 : last + 1);
      return String.fromCodePoint(...points);
    }
  }
  return null;
}

// Wire SQL value (docs/wire.md) → a JS value to bind.
function toParam(value) {
  if (value !== null && typeof value === "object") {
    if (typeof value.b64 !== "string") throw new Error("a SQL parameter object must be {b64}");
    return decodeBase64(value.b64);
  }
  return value;
}

// A cell as SQLite returned it → the wire SQL value.
function toCell(value) {
  if (value instanceof Uint8Array) return { b64: encodeBase64(value) };
  if (value instanceof ArrayBuffer) return { b64: encodeBase64(new Uint8Array(value)) };
  if (typeof value === "bigint") {
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw new Error("SQL integer outside ±2^53");
    }
    return Number(value);
  }
  return value;
}

export function objectStorageEffects(db) {
  db.query(STORAGE_SCHEMA, []);
  return {
    "storage.get"(effect) {
      const { rows } = db.query("SELECT value FROM _storage WHERE key = ?", [effect.key]);
      return rows.length ? rows[0][0] : null;
    },
    "storage.put"(effect) {
      db.query(
        "INSERT INTO _storage (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [effect.key, effect.value],
      );
      return null;
    },
    "storage.delete"(effect) {
      db.query("DELETE FROM _storage WHERE key = ?", [effect.key]);
      return null;
    },
    "storage.list"(effect) {
      const prefix = effect.prefix ?? "";
      const end = prefixEnd(prefix);
      const { rows } = db.query(
        "SELECT key, value FROM _storage WHERE key >= ? AND (? IS NULL OR key < ?) AND key > ? ORDER BY key LIMIT ?",
        [prefix, end, end, effect.start_after ?? "", effect.limit ?? 0],
      );
      return rows.map(([key, value]) => [key, value]);
    },
    // What a statement changed is read with RETURNING (docs/wire.md): nothing to count here.
    "sql.exec"(effect) {
      const result = db.query(effect.sql, (effect.params ?? []).map(toParam));
      return { columns: result.columns, rows: result.rows.map((row) => row.map(toCell)) };
    },
  };
}
