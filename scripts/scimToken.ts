// Mints a SCIM bearer token for a tenant's IdP (Okta, Entra ID) and prints the hash to configure:
//   npm run -s scim-token
// Paste the token into the IdP's provisioning settings (it is shown once, never stored), and set the
// environment variable the tenant's `scim.tokenHashEnv` names to the hash. Rotating = minting a new
// one and replacing both.
import { stdout } from 'node:process';
import { mintScimToken } from '../src/scim/tokens.js';

const { token, hash } = mintScimToken();
stdout.write(`token (give it to the IdP, shown once): ${token}\nhash (for the scim.tokenHashEnv variable): ${hash}\n`);
