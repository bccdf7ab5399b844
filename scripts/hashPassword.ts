// Prints the scrypt hash of a break-glass password, for the environment variable a tenant's
// `breakGlass.passwordHashEnv` names. The password is read from stdin (never an argument, so it does
// not land in shell history or the process list):
//   npm run -s hash-password            # prompts (input not echoed on a terminal)
//   printf '%s' "$PW" | npm run -s hash-password
import { stdin, stderr, stdout } from 'node:process';
import { hashPassword } from '../src/auth/passwordHash.js';

const MIN_LENGTH = 16;

async function readPassword(): Promise<string> {
  if (stdin.isTTY) {
    stderr.write('Break-glass password (input hidden): ');
    stdin.setRawMode(true);
  }
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) {
    const text = (chunk as Buffer).toString('utf8');
    // On a raw terminal, Enter (or Ctrl+D) ends the password.
    const end = stdin.isTTY ? firstIndexOf(text, ['\r', '\n', String.fromCharCode(4)]) : -1;
    if (end >= 0) {
      chunks.push(Buffer.from(text.slice(0, end)));
      break;
    }
    if (stdin.isTTY && text === '\u0003') process.exit(130);
    chunks.push(chunk as Buffer);
  }
  if (stdin.isTTY) {
    stdin.setRawMode(false);
    stderr.write('\n');
  }
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

function firstIndexOf(text: string, needles: readonly string[]): number {
  const found = needles.map((n) => text.indexOf(n)).filter((i) => i >= 0);
  return found.length > 0 ? Math.min(...found) : -1;
}

const password = await readPassword();
if (password.length < MIN_LENGTH) {
  stderr.write(`The password must be at least ${MIN_LENGTH} characters (it guards a whole tenant's operations view).\n`);
  process.exit(1);
}
stdout.write(`${await hashPassword(password)}\n`);
process.exit(0);
