/**
 * SSH key library. Key material is checked independently of the emulator's own SSH code:
 * node:crypto parses private keys, fingerprints are recomputed here, and `ssh-keygen` (when
 * installed) must agree with both.
 */

import { execFileSync, spawnSync } from "node:child_process";
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startGpcnEmulator, type GpcnEmulator } from "../../emulator";
import { call } from "./gpcnTestClient";

const hasSshKeygen = spawnSync("ssh-keygen", ["-?"]).error === undefined;
const itWithSshKeygen = hasSshKeygen ? it : it.skip;

let emu: GpcnEmulator;
let dir: string;
beforeAll(async () => {
  emu = await startGpcnEmulator({ rateLimit: null });
  dir = mkdtempSync(join(tmpdir(), "gpcn-ssh-"));
});
afterAll(async () => {
  await emu.close();
  rmSync(dir, { recursive: true, force: true });
});

// ---- independent SSH encoding helpers -------------------------------------------------------

const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};
const str = (b: Buffer | string) => {
  const buf = Buffer.from(b);
  return Buffer.concat([u32(buf.length), buf]);
};
const mpint = (b: Buffer) => str(b[0] & 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b);

/** OpenSSH public key text for a node key, written from RFC 4253 / 5656 / 8709. */
function openSshPublic(key: KeyObject): string {
  const jwk = key.export({ format: "jwk" });
  const d = (v?: string) => Buffer.from(v!, "base64url");
  let blob: Buffer;
  if (jwk.kty === "RSA") blob = Buffer.concat([str("ssh-rsa"), mpint(d(jwk.e)), mpint(d(jwk.n))]);
  else if (jwk.kty === "OKP") blob = Buffer.concat([str("ssh-ed25519"), str(d(jwk.x))]);
  else {
    const curve = `nistp${jwk.crv!.slice(2)}`;
    blob = Buffer.concat([str(`ecdsa-sha2-${curve}`), str(curve), str(Buffer.concat([Buffer.from([4]), d(jwk.x), d(jwk.y)]))]);
  }
  const type = blob.subarray(4, 4 + blob.readUInt32BE(0)).toString();
  return `${type} ${blob.toString("base64")}`;
}

const fingerprintOf = (publicKey: string) =>
  `SHA256:${createHash("sha256").update(Buffer.from(publicKey.split(" ")[1], "base64")).digest("base64").replace(/=+$/, "")}`;

/** Reads the ed25519 seed and public key out of an unencrypted openssh-key-v1 container. */
function ed25519FromOpenSsh(pem: string): KeyObject {
  expect(pem).toMatch(/^-----BEGIN OPENSSH PRIVATE KEY-----\n[\s\S]+\n-----END OPENSSH PRIVATE KEY-----\n$/);
  const data = Buffer.from(pem.replace(/-----[A-Z ]+-----/g, "").replace(/\s+/g, ""), "base64");
  let at = 0;
  const take = () => {
    const len = data.readUInt32BE(at);
    const out = data.subarray(at + 4, at + 4 + len);
    at += 4 + len;
    return out;
  };
  expect(data.subarray(0, 15).toString("latin1")).toBe("openssh-key-v1\0");
  at = 15;
  expect([take().toString(), take().toString(), take().length]).toEqual(["none", "none", 0]);
  expect(data.readUInt32BE(at)).toBe(1);
  at += 4;
  take(); // public blob
  const priv = take();
  const section = { data: priv, at: 0 };
  const sTake = () => {
    const len = section.data.readUInt32BE(section.at);
    const out = section.data.subarray(section.at + 4, section.at + 4 + len);
    section.at += 4 + len;
    return out;
  };
  expect(priv.readUInt32BE(0)).toBe(priv.readUInt32BE(4)); // check ints match
  section.at = 8;
  expect(sTake().toString()).toBe("ssh-ed25519");
  const pub = sTake();
  const secret = sTake();
  return createPrivateKey({ key: { kty: "OKP", crv: "Ed25519", d: secret.subarray(0, 32).toString("base64url"), x: pub.toString("base64url") }, format: "jwk" });
}

function writeTemp(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content, { mode: 0o600 });
  return path;
}

// ---- tests ------------------------------------------------------------------------------------

it("lists the generate algorithms", async () => {
  const res = await call(emu, "GET", "/resource/ssh-keys/algorithms");
  expect(res.body.data.map((a: { code: string }) => a.code).sort()).toEqual(["ecdsa-p256", "ed25519", "rsa-2048", "rsa-4096"]);
  expect(res.body.data[0]).toEqual({ code: expect.any(String), displayName: expect.any(String), description: expect.any(String) });
});

describe("generate", () => {
  it.each(["ed25519", "rsa-2048", "rsa-4096", "ecdsa-p256"])("%s: a real key pair; the private key parses and matches the public key", async (algorithm) => {
    const res = await call(emu, "POST", "/resource/ssh-keys", { body: { name: `gen-${algorithm}`, type: "generate", algorithm } });
    expect(res.status).toBe(201);
    const key = res.body.data;
    expect(key).toMatchObject({ id: expect.any(String), name: `gen-${algorithm}`, algorithm, algorithmDisplayName: expect.any(String), isDefault: false, deletedAt: null });
    expect(key.publicKey).toMatch(/^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp256) AAAA[A-Za-z0-9+/=]+$/);

    const privateKey = algorithm === "ed25519" ? ed25519FromOpenSsh(key.privateKey) : createPrivateKey(key.privateKey);
    expect(openSshPublic(createPublicKey(privateKey))).toBe(key.publicKey);
    expect(key.fingerprint).toBe(fingerprintOf(key.publicKey));
    if (algorithm.startsWith("rsa")) expect(privateKey.asymmetricKeyDetails?.modulusLength).toBe(Number(algorithm.slice(4)));

    // The private key is returned once and never stored.
    const again = await call(emu, "GET", `/resource/ssh-keys/${key.id}`);
    expect(again.body.data.privateKey).toBeUndefined();
    expect(again.body.data.publicKey).toBe(key.publicKey);

    if (hasSshKeygen) {
      const derived = execFileSync("ssh-keygen", ["-y", "-f", writeTemp(`${algorithm}.key`, key.privateKey)]).toString().trim();
      expect(derived.split(" ").slice(0, 2).join(" ")).toBe(key.publicKey);
    }
  }, 30_000);

  it("encrypts rsa/ecdsa keys with a passphrase; refuses one for ed25519", async () => {
    const res = await call(emu, "POST", "/resource/ssh-keys", { body: { name: "with-pass", type: "generate", algorithm: "ecdsa-p256", passphrase: "s3cret" } });
    expect(res.status).toBe(201);
    expect(() => createPrivateKey(res.body.data.privateKey)).toThrow();
    const key = createPrivateKey({ key: res.body.data.privateKey, passphrase: "s3cret" });
    expect(openSshPublic(createPublicKey(key))).toBe(res.body.data.publicKey);
    const ed = await call(emu, "POST", "/resource/ssh-keys", { body: { name: "ed-pass", type: "generate", algorithm: "ed25519", passphrase: "x" } });
    expect(ed.status).toBe(422);
  });

  it("rejects unknown algorithms", async () => {
    const res = await call(emu, "POST", "/resource/ssh-keys", { body: { name: "dsa", type: "generate", algorithm: "dsa-1024" } });
    expect(res.status).toBe(422);
    expect(res.body.error.details.issues[0].path).toBe("algorithm");
  });
});

describe("upload", () => {
  const cases: [string, KeyObject, string][] = [
    ["ed25519", generateKeyPairSync("ed25519").publicKey, "ed25519"],
    ["rsa-3072", generateKeyPairSync("rsa", { modulusLength: 3072 }).publicKey, "rsa-3072"],
    ["ecdsa-p384", generateKeyPairSync("ec", { namedCurve: "P-384" }).publicKey, "ecdsa-p384"],
  ];

  it.each(cases)("%s: stores the key and its SHA256 fingerprint", async (_label, nodeKey, algorithm) => {
    const text = `${openSshPublic(nodeKey)} someone@laptop`;
    const res = await call(emu, "POST", "/resource/ssh-keys", { body: { name: `up-${algorithm}`, type: "upload", publicKey: `${text}\n` } });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ algorithm, publicKey: text, fingerprint: fingerprintOf(text) });
    expect(res.body.data.privateKey).toBeUndefined();
  });

  itWithSshKeygen("computes the same fingerprint as ssh-keygen -lf", async () => {
    const priv = writeTemp("upload.pem", generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString());
    const publicKey = execFileSync("ssh-keygen", ["-y", "-f", priv]).toString().trim();
    const expected = execFileSync("ssh-keygen", ["-lf", writeTemp("upload.pub", `${publicKey}\n`)]).toString().split(" ")[1];
    const res = await call(emu, "POST", "/resource/ssh-keys", { body: { name: "keygen", type: "upload", publicKey } });
    expect(res.body.data.fingerprint).toBe(expected);
  });

  it("rejects text that is not a valid OpenSSH public key", async () => {
    const rsa = openSshPublic(generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey);
    const weak = openSshPublic(generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey);
    const bad = [
      "not a key",
      "ssh-ed25519 !!!notbase64",
      `ssh-ed25519 ${rsa.split(" ")[1]}`, // type does not match the blob
      `ssh-rsa ${rsa.split(" ")[1].slice(0, 40)}`, // truncated
      weak,
      `ssh-dss ${Buffer.concat([str("ssh-dss"), str("x")]).toString("base64")}`,
    ];
    for (const publicKey of bad) {
      const res = await call(emu, "POST", "/resource/ssh-keys", { body: { name: "bad", type: "upload", publicKey } });
      expect({ publicKey, status: res.status }).toEqual({ publicKey, status: 422 });
      expect(res.body.error.details.issues[0].path).toBe("publicKey");
    }
  });
});

describe("names, get, update, delete, list", () => {
  const upload = (name: unknown) =>
    call(emu, "POST", "/resource/ssh-keys", { body: { name, type: "upload", publicKey: openSshPublic(generateKeyPairSync("ed25519").publicKey) } });

  it("requires a 1-30 character name", async () => {
    expect((await upload("x".repeat(30))).status).toBe(201);
    for (const name of ["x".repeat(31), "", undefined, 5]) expect((await upload(name)).status).toBe(422);
    const noType = await call(emu, "POST", "/resource/ssh-keys", { body: { name: "t" } });
    expect(noType.body.error.details.issues[0].path).toBe("type");
  });

  it("PUT accepts only name; DELETE answers 204 and the key is gone", async () => {
    const id = (await upload("to-rename")).body.data.id;
    const renamed = await call(emu, "PUT", `/resource/ssh-keys/${id}`, { body: { name: "renamed" } });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ success: true, data: { id, name: "renamed" } });
    expect((await call(emu, "PUT", `/resource/ssh-keys/${id}`, { body: { name: "x", publicKey: "ssh-ed25519 AAAA" } })).status).toBe(422);
    const del = await call(emu, "DELETE", `/resource/ssh-keys/${id}`);
    expect(del.status).toBe(204);
    expect(del.text).toBe("");
    expect((await call(emu, "GET", `/resource/ssh-keys/${id}`)).status).toBe(404);
    expect((await call(emu, "DELETE", `/resource/ssh-keys/${id}`)).status).toBe(404);
  });

  it("lists keys with paging meta", async () => {
    const res = await call(emu, "GET", "/resource/ssh-keys?limit=2");
    expect(res.body.data).toHaveLength(2);
    expect(res.body.meta).toMatchObject({ page: 1, pageSize: 2, total: emu.sshKeys().length, hasNextPage: true });
    expect(res.body.data[0]).toEqual(
      expect.objectContaining({ entityId: expect.any(String), createdAt: expect.any(String), updatedAt: expect.any(String), fingerprint: expect.stringMatching(/^SHA256:/) }),
    );
  });
});
