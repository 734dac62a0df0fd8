import { describe, expect, it } from 'vitest';
import { detectImageType } from '../uploads/image-type.ts';
import { isHttpUrl } from './field-errors.ts';
import { parseHostLines, parseLinkLines } from './link-lines.ts';
import { chooseSlug, SLUG_PATTERN, slugify } from './slug.ts';

describe('slugs', () => {
  it('are made from titles as lowercase ASCII with hyphens', () => {
    expect(slugify('Join an X Chat on Building a Strong School Resource Officer MOU')).toBe(
      'join-an-x-chat-on-building-a-strong-school-resource-officer-mou',
    );
    expect(slugify('  Café & Crème — Über 2024!  ')).toBe('cafe-creme-uber-2024');
    expect(slugify('日本語')).toBe('');
    const long = slugify('word '.repeat(100));
    expect(long.length).toBeLessThanOrEqual(200);
    expect(SLUG_PATTERN.test(long)).toBe(true);
  });

  it('are taken as typed when valid, and refused otherwise', () => {
    expect(chooseSlug('my-slug', 'Ignored')).toEqual({ slug: 'my-slug' });
    expect(chooseSlug('', 'From The Title')).toEqual({ slug: 'from-the-title' });
    expect(chooseSlug('-leading', 'x')).toHaveProperty('error');
    expect(chooseSlug('Upper', 'x')).toHaveProperty('error');
    expect(chooseSlug('', '日本語')).toHaveProperty('error');
  });
});

describe('addresses and link lines', () => {
  it('accept only absolute http and https addresses', () => {
    expect(isHttpUrl('https://cops.usdoj.gov/')).toBe(true);
    expect(isHttpUrl('http://example.gov/a?b=c')).toBe(true);
    for (const bad of ['javascript:alert(1)', 'data:text/html,x', '/relative', 'ftp://example.gov', 'https://exa mple.gov', '']) {
      expect(isHttpUrl(bad), bad).toBe(false);
    }
  });

  it('read "Title | address" lines, naming the line that is wrong', () => {
    expect(parseLinkLines('COPS Office | https://cops.usdoj.gov/\n\n  A | B | https://x.gov  ')).toEqual({
      links: [
        { title: 'COPS Office', url: 'https://cops.usdoj.gov/' },
        { title: 'A | B', url: 'https://x.gov' },
      ],
    });
    expect(parseLinkLines('Fine | https://x.gov\nNo address here')).toEqual({ error: expect.stringMatching(/^Line 2:/) });
    expect(parseLinkLines('Bad | javascript:alert(1)')).toEqual({ error: expect.stringMatching(/^Line 1: the address/) });
  });

  it('read host lines with handle, name and address', () => {
    expect(parseHostLines('@COPSOffice | COPS Office | https://x.com/COPSOffice')).toEqual({
      hosts: [{ handle: '@COPSOffice', name: 'COPS Office', url: 'https://x.com/COPSOffice' }],
    });
    expect(parseHostLines('COPSOffice | COPS Office | https://x.com/COPSOffice')).toEqual({
      error: expect.stringContaining('handle starts with @'),
    });
    expect(parseHostLines('@a | b')).toEqual({ error: expect.stringMatching(/^Line 1:/) });
  });
});

describe('image types', () => {
  it('are told by their first bytes', () => {
    expect(detectImageType(Buffer.from('89504e470d0a1a0a0000', 'hex'))?.contentType).toBe('image/png');
    expect(detectImageType(Buffer.from('ffd8ffe000104a464946', 'hex'))?.contentType).toBe('image/jpeg');
    expect(detectImageType(Buffer.from('GIF89a\x01\x00', 'latin1'))?.contentType).toBe('image/gif');
    expect(detectImageType(Buffer.from('RIFF\x00\x00\x00\x00WEBPVP8 ', 'latin1'))?.contentType).toBe('image/webp');
    expect(detectImageType(Buffer.from('RIFF\x00\x00\x00\x00WAVEfmt ', 'latin1'))).toBeUndefined();
    expect(detectImageType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeUndefined();
    expect(detectImageType(Buffer.from('just text pretending to be a png'))).toBeUndefined();
    expect(detectImageType(Buffer.alloc(0))).toBeUndefined();
  });
});
