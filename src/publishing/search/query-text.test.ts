import { describe, expect, it } from 'vitest';
import { markdownToText } from './document-text.ts';
import { cleanQuery, toFts5Match } from './query-text.ts';
import { snippetToHtml } from './snippet-html.ts';

describe('toFts5Match', () => {
  it('quotes every word, so FTS5 operators are only words', () => {
    // Words joined by punctuation stay together as a phrase, as websearch_to_tsquery does.
    expect(toFts5Match('school AND NEAR(police) title:mou* ^x')).toBe('"school" AND "AND" AND "NEAR police" AND "title mou" AND "x"');
    expect(toFts5Match('say "he said ""no"""')).toBe('"say" AND "he said" AND "no"');
  });

  it('keeps web-search conventions: phrases, or, and -exclusions', () => {
    expect(toFts5Match('"resource officer" mou')).toBe('"resource officer" AND "mou"');
    expect(toFts5Match('drills or exercises safety')).toBe('("drills" OR "exercises") AND "safety"');
    expect(toFts5Match('cameras -classroom -"pilot programme"')).toBe('("cameras") NOT ("classroom" OR "pilot programme")');
    expect(toFts5Match('K-12 e-mail')).toBe('"K 12" AND "e mail"');
  });

  it('returns nothing to search for when only punctuation, operators or exclusions are left', () => {
    for (const q of ['', '   ', '!!!', '"', '""', '***', 'or', 'OR or', '-school', '-"x y"', '\u0000\u0000', '😀']) {
      expect(toFts5Match(q), JSON.stringify(q)).toBe('');
    }
  });

  it('tolerates an unterminated quote', () => {
    expect(toFts5Match('"school safety')).toBe('"school safety"');
  });
});

describe('cleanQuery', () => {
  it('drops control characters and broken surrogates and caps the length', () => {
    expect(cleanQuery('a\u0000b\u001fc\ud800d')).toBe('a b c d');
    expect(Array.from(cleanQuery('😀'.repeat(10_000))).length).toBe(500);
  });
});

describe('snippetToHtml', () => {
  it('escapes everything and adds only balanced <mark> elements', () => {
    expect(snippetToHtml('a \u0002<b>\u0003 & "c" \u0002open')).toBe('a <mark>&lt;b&gt;</mark> &amp; &quot;c&quot; <mark>open</mark>');
    expect(snippetToHtml('\u0003stray\u0002\u0002x\u0003\u0003')).toBe('stray<mark>x</mark>');
  });

  it('restores the stand-in for "<" that the PostgreSQL snippet uses', () => {
    expect(snippetToHtml('\ue000script>')).toBe('&lt;script&gt;');
  });
});

describe('markdownToText', () => {
  it('keeps the words and drops the Markdown', () => {
    const text = markdownToText('## Heading\n\nSee [the **MOU**](https://example.gov) and `code`.\n\n- one\n- two\n\n<script>x</script>');
    expect(text).toBe('Heading\nSee the MOU and code.\none\ntwo\n<script>x</script>');
  });
});
