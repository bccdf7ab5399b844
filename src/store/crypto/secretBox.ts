import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { KeyRing } from './keyRing.js';
import { SecretUnreadableError } from './errors.js';

const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface SealedSecret {
  /** iv (12) | GCM tag (16) | ciphertext. */
  readonly ciphertext: Uint8Array<ArrayBuffer>;
  readonly keyId: string;
}

/** What open() accepts: any byte array (Prisma Bytes, Buffer) plus the key id stored beside it. */
export interface StoredSecret {
  readonly ciphertext: Uint8Array;
  readonly keyId: string;
}

/**
 * What a blob belongs to. It is authenticated but not stored, so a blob copied to another tenant,
 * user or connector row fails to open.
 */
export interface SecretBinding {
  readonly purpose: string;
  readonly tenantId: string;
  readonly parts?: readonly string[];
}

function associatedData(binding: SecretBinding): Buffer {
  // JSON array: unambiguous even when a part contains the separator.
  return Buffer.from(JSON.stringify(['switchboard/v1', binding.purpose, binding.tenantId, ...(binding.parts ?? [])]), 'utf8');
}

/** AES-256-GCM with a key ring: seals with the active key, opens with whichever key sealed the blob. */
export class SecretBox {
  constructor(private readonly ring: KeyRing) {}

  get activeKeyId(): string {
    return this.ring.activeKeyId;
  }

  /** True when a blob was sealed with a retired key and should be re-sealed on the next write. */
  isStale(keyId: string): boolean {
    return keyId !== this.ring.activeKeyId;
  }

  seal(plaintext: Uint8Array | string, binding: SecretBinding): SealedSecret {
    const key = this.ring.keys.get(this.ring.activeKeyId)!;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(associatedData(binding));
    const data = Buffer.concat([cipher.update(typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext), cipher.final()]);
    return { ciphertext: new Uint8Array(Buffer.concat([iv, cipher.getAuthTag(), data])), keyId: this.ring.activeKeyId };
  }

  open(sealed: StoredSecret, binding: SecretBinding): Buffer {
    const key = this.ring.keys.get(sealed.keyId);
    if (!key) throw new SecretUnreadableError(`key "${sealed.keyId}" is not in the key ring`);
    const blob = Buffer.from(sealed.ciphertext);
    if (blob.length < IV_BYTES + TAG_BYTES) throw new SecretUnreadableError('blob too short');
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, blob.subarray(0, IV_BYTES));
      decipher.setAAD(associatedData(binding));
      decipher.setAuthTag(blob.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(blob.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
    } catch {
      throw new SecretUnreadableError('authentication failed (tampered, wrong key or bound to another record)');
    }
  }

  sealJson(value: unknown, binding: SecretBinding): SealedSecret {
    return this.seal(JSON.stringify(value), binding);
  }

  /** Parsed but untyped: callers validate the shape with their own schema. */
  openJson(sealed: StoredSecret, binding: SecretBinding): unknown {
    const text = this.open(sealed, binding).toString('utf8');
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new SecretUnreadableError('decrypted payload is not JSON');
    }
  }
}
