// go-plugin AutoMTLS: a fresh self-signed server certificate for each process, shaped like go-plugin's own
// (CN and SAN localhost, CA, extended key usages clientAuth+serverAuth, NotBefore 30 s in the past), with a P-256
// key (faster to generate than go-plugin's P-521; the CLIs accept any ECDSA curve).
import { generateKeyPairSync, randomBytes, sign } from "node:crypto";
import {
  bitString,
  boolean,
  explicit,
  octetString,
  oid,
  sequence,
  set,
  tlv,
  unsignedInteger,
  utcTime,
  utf8String,
} from "./der.ts";

export interface ServerCertificate {
  /** The certificate as DER; the handshake line carries it as unpadded standard base64. */
  der: Buffer;
  certPem: string;
  keyPem: string;
}

const ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";

function name(commonName: string): Uint8Array {
  return sequence(
    set(sequence(oid("2.5.4.10"), utf8String("iamsession"))),
    set(sequence(oid("2.5.4.3"), utf8String(commonName))),
  );
}

function extension(id: string, critical: boolean, value: Uint8Array): Uint8Array {
  return critical ? sequence(oid(id), boolean(true), octetString(value)) : sequence(oid(id), octetString(value));
}

export function generateServerCertificate(host = "localhost", now: Date = new Date()): ServerCertificate {
  const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const spki = publicKey.export({ type: "spki", format: "der" });
  const serial = randomBytes(16);
  serial[0] = (serial[0]! & 0x7f) | 0x01; // positive and non-zero
  const algorithm = sequence(oid(ECDSA_WITH_SHA256));
  const notBefore = new Date(now.getTime() - 30_000);
  const notAfter = new Date(now.getTime() + 365 * 24 * 3600_000);

  const extensions = sequence(
    // keyUsage: digitalSignature, keyEncipherment, keyAgreement, keyCertSign (bits 0,2,4,5 → 0xAC, 2 unused bits)
    extension("2.5.29.15", true, bitString(Uint8Array.of(0xac), 2)),
    // extKeyUsage: clientAuth, serverAuth
    extension("2.5.29.37", false, sequence(oid("1.3.6.1.5.5.7.3.2"), oid("1.3.6.1.5.5.7.3.1"))),
    // basicConstraints: CA
    extension("2.5.29.19", true, sequence(boolean(true))),
    // subjectAltName: dNSName (context tag 2, implicit IA5String)
    extension("2.5.29.17", false, sequence(tlv(0x82, new TextEncoder().encode(host)))),
  );

  const tbs = sequence(
    explicit(0, tlv(0x02, Uint8Array.of(2))), // v3
    unsignedInteger(serial),
    algorithm,
    name(host),
    sequence(utcTime(notBefore), utcTime(notAfter)),
    name(host),
    spki,
    explicit(3, extensions),
  );
  const signature = sign("sha256", tbs, privateKey); // DER ECDSA-Sig-Value
  const der = Buffer.from(sequence(tbs, algorithm, bitString(signature)));
  const b64 = der.toString("base64").replace(/.{64}/g, "$&\n");
  return {
    der,
    certPem: `-----BEGIN CERTIFICATE-----\n${b64.endsWith("\n") ? b64 : b64 + "\n"}-----END CERTIFICATE-----\n`,
    keyPem: privateKey.export({ type: "pkcs8", format: "pem" }) as string,
  };
}
