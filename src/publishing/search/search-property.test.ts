import fc from 'fast-check';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/support/databases.ts';
import { rebuildSearchIndex } from './index-entry.ts';
import { searchPublished } from './search-published.ts';
import { addArticle, addEvent } from './testing.ts';

// Whatever a reader (or a bot) puts in ?q=, search answers with a page of results, never an error.

const operatorWords = [
  'AND',
  'OR',
  'NOT',
  'NEAR',
  'NEAR(',
  'or',
  '-',
  '*',
  ':',
  '^',
  '+',
  '"',
  "'",
  '(',
  ')',
  '{',
  '}',
  '!',
  '&',
  '|',
  '<->',
  ':*',
  '\\',
  '\u0000',
  'title:',
  'body:',
];
const operatorHeavy = fc
  .tuple(
    fc.array(fc.oneof(fc.constantFrom(...operatorWords), fc.constantFrom('mou', 'school', 'police', 'the'), fc.string({ maxLength: 4 })), {
      maxLength: 30,
    }),
    fc.constantFrom(' ', '', '"', ' OR ', ' -'),
  )
  .map(([parts, separator]) => parts.join(separator));
const loneSurrogates = fc.string({ unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)), maxLength: 8 });

const hostile = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme' }),
  operatorHeavy,
  fc.tuple(loneSurrogates, fc.string()).map(([a, b]) => a + b),
);

describeEachDatabase('searchPublished with hostile queries', ({ handle, engine }) => {
  const ctx = () => ({ db: handle().db, dialect: engine });

  it('never throws, and only ever emits <mark> as markup', async () => {
    await addArticle(handle().db, {
      title: 'The school resource officer MOU',
      body: 'Police and schools agree in an MOU. <b>bold</b> & "quotes" (parentheses) NEAR AND OR NOT * ^ :',
    });
    await addEvent(handle().db, { title: 'MOU chat', description: 'Talk about the police MOU.', hashtag: '#MOUchat' });
    await rebuildSearchIndex(ctx());
    await fc.assert(
      fc.asyncProperty(hostile, fc.integer({ min: 1, max: 3 }), async (q, page) => {
        const result = await searchPublished(ctx(), { q, page, pageSize: 5 });
        expect(result.total).toBeGreaterThanOrEqual(result.results.length);
        for (const r of result.results) expect(r.snippetHtml).not.toMatch(/<(?!\/?mark>)/);
      }),
      { numRuns: 300 },
    );
  });

  it('accepts 10 kB of text, using only the first 500 characters', async () => {
    await addArticle(handle().db, { title: 'MOU basics' });
    await rebuildSearchIndex(ctx());
    const long = `mou ${'"(NEAR AND -x* '.repeat(700)}`.slice(0, 10_240);
    const result = await searchPublished(ctx(), { q: long, page: 1, pageSize: 10 });
    expect(Array.from(result.query).length).toBeLessThanOrEqual(500);
    expect(result.query.startsWith('mou')).toBe(true);
    const nul = await searchPublished(ctx(), { q: `mou\u0000${'\u0000'.repeat(10_000)}`, page: 1, pageSize: 10 });
    expect(nul.total).toBe(1);
  });
});
