'use strict';
// Jest (on Node 20) cannot require() the ESM-only `jose` that jwks-rsa (used by the Agents SDK's JWT
// middleware) loads. This CommonJS stand-in covers what jwks-rsa calls, with node:crypto doing the
// key work; production code runs the real `jose` (Node's own require(esm)).
const { createPublicKey } = require('node:crypto');

function decodePart(part) {
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
}

module.exports = {
  async importJWK(jwk) {
    const { ext: _ext, key_ops: _ops, ...key } = jwk;
    return createPublicKey({ key, format: 'jwk' });
  },
  async exportSPKI(key) {
    return key.export({ format: 'pem', type: 'spki' });
  },
  decodeJwt(token) {
    return decodePart(String(token).split('.')[1]);
  },
  decodeProtectedHeader(token) {
    return decodePart(String(token).split('.')[0]);
  },
};
