import { expect, it } from 'vitest';
import { Browser, createTestApp } from '../../test/support/app.ts';
import { describeEachDatabase } from '../../test/support/databases.ts';
import { LINK_CHECKS_PER_MINUTE } from './link-rate-limit.ts';

// Pages that check a secret from a link answer 429 once a client address goes over the limit,
// and not before. The tokens here are well formed but unknown, as a scanner's would be.
const LINK_PAGES = [
  `/subscribe/confirm/${'A'.repeat(43)}`,
  `/preferences/sign-in/${'B'.repeat(43)}`,
  `/preferences/open/${'C'.repeat(22)}.${'D'.repeat(43)}`,
  '/preferences/manage',
];

describeEachDatabase('link checks are rate limited per client address', ({ handle }) => {
  it(`allows ${LINK_CHECKS_PER_MINUTE} a minute on each page and refuses the next with 429`, async () => {
    const { app } = await createTestApp(handle());
    for (const url of LINK_PAGES) {
      const scanner = new Browser(app);
      scanner.ip = '198.51.100.7';
      for (let i = 0; i < LINK_CHECKS_PER_MINUTE; i++) {
        expect((await scanner.get(url)).statusCode, `${url}, request ${i + 1}`).not.toBe(429);
      }
      expect((await scanner.get(url)).statusCode, url).toBe(429);
      // Another address is not affected.
      const reader = new Browser(app);
      reader.ip = '203.0.113.9';
      expect((await reader.get(url)).statusCode, url).not.toBe(429);
    }
    await app.close();
  });
});
