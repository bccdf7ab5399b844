import { describe, expect, it } from '@jest/globals';
import { day, fit, MAX_SENTENCE, plural, quotedIn, sentence } from './summary.js';

describe('summary sentence helpers', () => {
  it('ends a sentence once, also after a closing quote', () => {
    expect(sentence('Moved “NET-3” to “Done”')).toBe('Moved “NET-3” to “Done”.');
    expect(sentence('Added your comment “Is it fixed?”')).toBe('Added your comment “Is it fixed?”');
    expect(sentence('Latest comment: “long text…”')).toBe('Latest comment: “long text…”');
    expect(sentence('Done. ')).toBe('Done.');
  });

  it('prints a day only for a real date, never the raw value', () => {
    expect(day('2024-05-01T10:00:00.000Z')).toBe('2024-05-01');
    expect(day('2024-05-01 10:00:00')).toBe('2024-05-01');
    expect(day('2024-05-01')).toBe('2024-05-01');
    expect(day('2024-02-30')).toBeUndefined();
    expect(day('2024-05-01<@U123>')).toBeUndefined();
    expect(day('*yesterday*')).toBeUndefined();
    expect(day(null)).toBeUndefined();
  });

  it('counts in words', () => {
    expect(plural(1, 'MFA factor')).toBe('1 MFA factor');
    expect(plural(3, 'MFA factor')).toBe('3 MFA factors');
  });

  it('keeps the core and adds optional details only while the sentence stays short', () => {
    const core = `Incident “INC0010001” (“${'x'.repeat(40)}”) is “In Progress”`;
    expect(fit(core, ', assigned to “Ada”')).toBe(`${core}, assigned to “Ada”.`);
    const long = fit(core, ', assigned to “Ada”', (room) => quotedIn('; latest comment: ', 'y'.repeat(500), room));
    expect(long.length).toBeLessThanOrEqual(MAX_SENTENCE);
    expect(long).toMatch(/; latest comment: “y+…”$/);
    expect(fit(core, ` (${'z'.repeat(200)})`, ', owned by “Ada”')).toBe(`${core}, owned by “Ada”.`);
    expect(fit('x'.repeat(200), ', more')).toBe(`${'x'.repeat(200)}.`);
  });

  it('quotes what it shortens, and leaves it out when too little would show', () => {
    expect(quotedIn(': ', '*bold* <@U123>', 40)).toBe(': “bold @U123”');
    expect(quotedIn(': ', 'a long comment', 10)).toBeUndefined();
  });
});
