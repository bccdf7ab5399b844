import { SwitchboardError } from '../../core/errors.js';

/** A sealed blob failed authentication: tampered, copied to another row, or sealed with an unknown key. */
export class SecretUnreadableError extends SwitchboardError {
  constructor(reason: string) {
    super('secret_unreadable', `stored secret could not be decrypted: ${reason}`, {
      userMessage: 'I could not read your saved connection. Please connect the account again.',
    });
  }
}

export class EncryptionKeyError extends SwitchboardError {
  constructor(message: string) {
    super('encryption_key_invalid', message, { userMessage: 'Switchboard is not configured correctly.' });
  }
}
