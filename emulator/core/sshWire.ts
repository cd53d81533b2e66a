/** SSH wire encoding (RFC 4251): length-prefixed strings and mpints, and a reader for them. */

export function sshString(data: Buffer | string): Buffer {
  const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
  const len = Buffer.alloc(4);
  len.writeUInt32BE(bytes.length);
  return Buffer.concat([len, bytes]);
}

export function sshUint32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(value >>> 0);
  return b;
}

/** Unsigned big-endian magnitude -> mpint (leading zero byte when the top bit is set). */
export function sshMpint(magnitude: Buffer): Buffer {
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++;
  const trimmed = magnitude.subarray(start);
  const body = trimmed.length > 0 && (trimmed[0] & 0x80) !== 0 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed;
  return sshString(body);
}

export class SshWireReader {
  private offset = 0;
  constructor(private readonly data: Buffer) {}

  readString(): Buffer {
    if (this.offset + 4 > this.data.length) throw new Error("truncated length field");
    const len = this.data.readUInt32BE(this.offset);
    this.offset += 4;
    if (this.offset + len > this.data.length) throw new Error("truncated string");
    const out = this.data.subarray(this.offset, this.offset + len);
    this.offset += len;
    return out;
  }

  readUint32(): number {
    if (this.offset + 4 > this.data.length) throw new Error("truncated uint32");
    const v = this.data.readUInt32BE(this.offset);
    this.offset += 4;
    return v;
  }

  /** mpint as an unsigned magnitude without leading zeros. */
  readMpint(): Buffer {
    const raw = this.readString();
    if (raw.length > 0 && (raw[0] & 0x80) !== 0) throw new Error("negative mpint");
    let start = 0;
    while (start < raw.length && raw[start] === 0) start++;
    return raw.subarray(start);
  }

  atEnd(): boolean {
    return this.offset === this.data.length;
  }
}
