// @ts-check
/**
 * "Open in stlite sharing": the app encoded the way stlite sharing reads a link.
 *
 * stlite sharing (packages/sharing-common in whitphx/stlite) takes the app from the URL's
 * fragment: `#!` followed by the protobuf message
 *
 *     message AppData { string entrypoint = 1; map<string, File> files = 2; repeated string requirements = 3; }
 *     message File { oneof content { string text = 1; bytes data = 2; } }
 *
 * in base64 with '+' '/' '=' written as '-' '_' ','. The fragment never reaches a server: the
 * code only leaves the page when the reader follows the link. Nothing here fetches anything.
 */

/** @typedef {{entrypoint: string, files: Object<string, string | Uint8Array>, requirements: string[]}} SharedApp */

/** The fragment prefix stlite sharing reads as an encoded app. */
export const APP_PREFIX = "!";

const utf8 = new TextEncoder();

/**
 * The protobuf bytes of stlite sharing's `AppData`.
 * @param {SharedApp} app
 * @returns {Uint8Array}
 */
export function encodeAppData(app) {
  const out = new ByteWriter();
  out.string(1, app.entrypoint);
  // Map fields are repeated entry messages {key = 1, value = 2}; paths sorted for stable links.
  for (const path of Object.keys(app.files).sort()) {
    const content = app.files[path];
    const file = new ByteWriter();
    // A oneof member is written even when empty: an empty file stays a text file.
    if (typeof content === "string") file.bytes(1, utf8.encode(content));
    else file.bytes(2, content);
    const entry = new ByteWriter();
    entry.bytes(1, utf8.encode(path));
    entry.bytes(2, file.finish());
    out.bytes(2, entry.finish());
  }
  for (const requirement of app.requirements) out.bytes(3, utf8.encode(requirement));
  return out.finish();
}

/**
 * `bytes` in stlite sharing's fragment alphabet: base64 with '-', '_' and ',' for '+', '/', '='.
 * @param {Uint8Array} bytes
 */
export function toFragment(bytes) {
  let binary = "";
  const chunk = 0x8000; // String.fromCharCode takes arguments: keep each call small
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=/g, ",");
}

/**
 * The link that opens `app` in the stlite sharing site at `baseUrl`.
 * @param {string} baseUrl  e.g. "https://share.stlite.net/" (absolute)
 * @param {SharedApp} app
 */
export function shareLink(baseUrl, app) {
  const url = new URL(baseUrl);
  url.hash = "";
  return `${url.href.replace(/#$/, "")}#${APP_PREFIX}${toFragment(encodeAppData(app))}`;
}

/** Protobuf wire format, as far as AppData needs it: length-delimited fields (wire type 2). */
class ByteWriter {
  constructor() {
    /** @type {number[]} */
    this.out = [];
  }

  /** @param {number} value */
  varint(value) {
    while (value > 0x7f) {
      this.out.push((value & 0x7f) | 0x80);
      value = Math.floor(value / 128);
    }
    this.out.push(value);
  }

  /** @param {number} field @param {Uint8Array} data */
  bytes(field, data) {
    this.varint((field << 3) | 2);
    this.varint(data.length);
    for (const byte of data) this.out.push(byte);
  }

  /** A plain proto3 string field: left out when empty, its default. @param {number} field @param {string} text */
  string(field, text) {
    if (text) this.bytes(field, utf8.encode(text));
  }

  finish() {
    return Uint8Array.from(this.out);
  }
}
