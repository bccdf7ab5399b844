import { hashPassword, parsePasswordHash, verifyPassword } from '../../src/auth/passwordHash.js';

// Break-glass passwords exist only as scrypt hashes in the environment (issue 10, deliverable 3).
test('a hash verifies its own password only, and never contains it', async () => {
  const hash = await hashPassword('correct horse battery staple');
  expect(hash).toMatch(/^scrypt:32768:8:1:[\w-]+:[\w-]{43}$/);
  expect(hash).not.toContain('horse');
  const parsed = parsePasswordHash(hash)!;
  await expect(verifyPassword('correct horse battery staple', parsed)).resolves.toBe(true);
  await expect(verifyPassword('correct horse battery stapl', parsed)).resolves.toBe(false);
  // Same password, new salt: a different hash.
  expect(await hashPassword('correct horse battery staple')).not.toBe(hash);
});

test('anything but a well-formed hash with sane parameters is refused', () => {
  expect(parsePasswordHash('correct horse battery staple')).toBeNull();
  expect(parsePasswordHash('')).toBeNull();
  const salt = 'A'.repeat(22);
  const key = 'B'.repeat(43);
  expect(parsePasswordHash(`scrypt:32768:8:1:${salt}:${key}`)).not.toBeNull();
  expect(parsePasswordHash(`scrypt:1024:8:1:${salt}:${key}`)).toBeNull(); // too weak
  expect(parsePasswordHash(`scrypt:30000:8:1:${salt}:${key}`)).toBeNull(); // not a power of two
  expect(parsePasswordHash(`scrypt:4194304:8:1:${salt}:${key}`)).toBeNull(); // would pin memory
  expect(parsePasswordHash(`scrypt$32768$8$1$${salt}$${key}`)).toBeNull();
});
