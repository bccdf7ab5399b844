export { SecretBox, type SealedSecret, type StoredSecret, type SecretBinding } from './secretBox.js';
export { parseKeyRing, loadKeyRing, generateKeySpec, KEY_BYTES, type KeyRing, type LoadKeyRingOptions } from './keyRing.js';
export { SecretUnreadableError, EncryptionKeyError } from './errors.js';
