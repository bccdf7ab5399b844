import pg from 'pg';
import { cleanDeep, cleanText } from '../../src/core/storableText.js';
import { TEST_DATABASE_URL } from '../support/database.js';

// Issue 10 deliver 6: what PostgreSQL refuses is cleaned before it is stored, checked against
// PostgreSQL itself (text and jsonb), not against our own idea of what it refuses.
const samples = ['a\u0000b', 'bell\u0007 and escape\u001b[0m', 'lone high \ud800 and low \udc00', 'pair \ud83d\ude00 stays', 'tab\tnew\nline\r', '\u007f del'];

test('cleaned text is accepted by PostgreSQL as text and inside jsonb; meaningful characters survive', async () => {
  const sql = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await sql.connect();
  try {
    await expect(sql.query('SELECT $1::text', ['a\u0000b'])).rejects.toMatchObject({ code: '22021' });
    await expect(sql.query('SELECT $1::jsonb', [JSON.stringify({ t: 'lone \ud800' })])).rejects.toMatchObject({ code: expect.stringMatching(/^22/) });
    for (const sample of samples) {
      const { text } = cleanText(sample);
      const row = (await sql.query('SELECT $1::text AS t, $2::jsonb AS j', [text, JSON.stringify(cleanDeep({ [sample]: [sample] }))])).rows[0] as { t: string; j: Record<string, string[]> };
      expect(row.t).toBe(text);
      expect(row.j).toEqual({ [text]: [text] });
    }
  } finally {
    await sql.end();
  }
  expect(cleanText('tab\tnew\nline\r')).toEqual({ text: 'tab\tnew\nline\r', changed: false });
  expect(cleanText('pair \ud83d\ude00 stays').changed).toBe(false);
  expect(cleanText('lone high \ud800 and low \udc00')).toEqual({ text: 'lone high \ufffd and low \ufffd', changed: true });
  expect(cleanText('a\u0000b')).toEqual({ text: 'ab', changed: true });
});

test('cleanDeep keeps the shape: numbers, booleans, null and nested arrays pass through', () => {
  const input = { n: 1, b: true, z: null, list: ['x\u0000', { deep: 'y\u0001' }], when: new Date(0) };
  expect(cleanDeep(input)).toEqual({ n: 1, b: true, z: null, list: ['x', { deep: 'y' }], when: new Date(0) });
});
